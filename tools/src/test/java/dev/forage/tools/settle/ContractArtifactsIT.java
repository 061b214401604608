package dev.forage.tools.settle;

import dev.forage.identity.testing.ContractArtifactsCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed contract artifacts of the tools module are exactly what the pinned solc makes
 * of its committed Solidity sources.
 */
class ContractArtifactsIT {

    @Test
    void committedArtifactsMatchAFreshCompile(@TempDir Path temp) throws Exception {
        ContractArtifactsCheck.assertUpToDate("tools", 2, temp);
    }
}
