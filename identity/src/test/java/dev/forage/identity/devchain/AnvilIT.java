package dev.forage.identity.devchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Signer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnvilIT {

    @Test
    void startsOnAFreeLoopbackPortWithFundedAccountsAndStopsCleanly() throws Exception {
        List<ProcessHandle> children;
        try (Anvil anvil = Anvil.start(Anvil.Options.defaults().withChainId(4242).withAccounts(3))) {
            assertThat(anvil.rpcUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(anvil.chainId()).isEqualTo(4242);
            assertThat(anvil.chain().chainId().toString()).isEqualTo("eip155:4242");
            assertThat(anvil.accounts()).hasSize(3);
            for (Signer account : anvil.accounts()) {
                assertThat(anvil.chain().balance(account.address()))
                        .isEqualTo(BigInteger.valueOf(10_000).multiply(BigInteger.TEN.pow(18)));
            }
            children = ProcessHandle.of(anvil.pid()).orElseThrow().descendants().toList();
            assertThat(children).isNotEmpty();
        }
        for (ProcessHandle child : children) {
            child.onExit().get(5, TimeUnit.SECONDS);
            assertThat(child.isAlive()).isFalse();
        }
    }

    @Test
    void twoNodesRunSideBySideOnDifferentPorts() {
        try (Anvil a = Anvil.start(Anvil.Options.defaults().withAccounts(1));
                Anvil b = Anvil.start(Anvil.Options.defaults().withAccounts(1))) {
            assertThat(a.rpcUrl()).isNotEqualTo(b.rpcUrl());
            a.mine(5);
            assertThat(a.chain().blockNumber()).isEqualTo(b.chain().blockNumber() + 5);
        }
    }

    @Test
    void aMissingBinaryIsReportedWithInstallInstructions() {
        assertThatThrownBy(() -> Anvil.start(Anvil.Options.defaults().withBinary(Path.of("/nonexistent/anvil"))))
                .isInstanceOf(AnvilNotFoundException.class)
                .hasMessageContaining("/nonexistent/anvil")
                .hasMessageContaining("npm ci")
                .hasMessageContaining("@foundry-rs/anvil");
    }

    @Test
    void theNodeDiesWithTheJvmThatStartedItEvenWhenThatJvmIsKilled() throws Exception {
        // A child JVM starts Anvil and prints the node's pid, then we kill the JVM with SIGKILL.
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "-Dforage.root=" + System.getProperty("forage.root", ""),
                AnvilHolder.class.getName()).redirectErrorStream(true).start();
        String line;
        try (var reader = child.inputReader()) {
            do {
                line = reader.readLine();
            } while (line != null && !line.startsWith("ANVIL-PIDS "));
        }
        assertThat(line).as("the child JVM printed the pids of its Anvil processes").isNotNull();
        List<Long> pids = java.util.Arrays.stream(line.substring("ANVIL-PIDS ".length()).trim().split(" "))
                .map(Long::parseLong).toList();
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && pids.stream().anyMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))) {
            Thread.sleep(100);
        }
        assertThat(pids).allSatisfy(p -> assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                .as("process %d outlived the killed JVM", p).isFalse());
    }

    /** The child JVM of the kill test. */
    public static final class AnvilHolder {
        public static void main(String[] args) throws Exception {
            Anvil anvil = Anvil.start(Anvil.Options.defaults().withAccounts(0));
            StringBuilder pids = new StringBuilder("ANVIL-PIDS");
            ProcessHandle.of(anvil.pid()).orElseThrow().descendants().forEach(p -> pids.append(' ').append(p.pid()));
            pids.append(' ').append(anvil.pid());
            System.out.println(pids);
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
