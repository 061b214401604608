package dev.forage.identity.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Checks that a module's committed contract artifacts are exactly what the pinned solc makes
 * of its committed sources, by running {@code node scripts/compile-contracts.mjs <module> --check}
 * (exit 1 if any artifact differs, is missing or is stale). Shared by the modules'
 * {@code ContractArtifactsIT}s.
 */
public final class ContractArtifactsCheck {

    /** Compiling takes seconds; this only bounds a hung process. */
    private static final long TIMEOUT_SECONDS = 300;

    private ContractArtifactsCheck() {}

    /**
     * Asserts that {@code module}'s artifacts are up to date and that there are {@code expected} of them.
     *
     * @param temp a scratch folder for the compiler's output
     */
    public static void assertUpToDate(String module, int expected, Path temp) throws IOException, InterruptedException {
        String root = System.getProperty("forage.root");
        assertThat(root).as("system property forage.root (the repository root, set by the Failsafe configuration)")
                .isNotBlank();
        Path rootDir = Path.of(root);
        assertThat(rootDir.resolve("scripts/compile-contracts.mjs")).isRegularFile();
        // A file, not a pipe, so the process can never block on unread output.
        Path log = temp.resolve("compile-contracts-" + module + ".log");

        Process process = start(rootDir, module, log);
        boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(exited).as("compile-contracts.mjs finished within %d s; output so far:%n%s", TIMEOUT_SECONDS, output)
                .isTrue();
        assertThat(process.exitValue())
                .as("node scripts/compile-contracts.mjs %s --check (exit 1: artifacts out of date, run it "
                        + "without --check and commit the result; exit 2: setup or compile error). Output:%n%s", module, output)
                .isZero();
        assertThat(output).contains(expected + " artifact(s) up to date");
    }

    private static Process start(Path rootDir, String module, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("node", "scripts/compile-contracts.mjs", module, "--check")
                .directory(rootDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run `node` (Node.js 18 or newer must be on PATH): " + e.getMessage(), e);
        }
    }
}
