package dev.forage.identity.erc8004;

import dev.forage.identity.testing.ContractArtifactsCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed contract artifacts of the identity module, main and test, are exactly what the
 * pinned solc makes of its committed Solidity sources.
 */
class ContractArtifactsIT {

    @Test
    void committedArtifactsMatchAFreshCompile(@TempDir Path temp) throws Exception {
        ContractArtifactsCheck.assertUpToDate("identity", 4, temp);
    }

    @Test
    void committedTestContractArtifactsMatchAFreshCompile(@TempDir Path temp) throws Exception {
        ContractArtifactsCheck.assertTestContractsUpToDate("identity", 2, temp);
    }
}
