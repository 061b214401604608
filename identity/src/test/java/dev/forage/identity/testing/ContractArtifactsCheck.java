package dev.forage.identity.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks that a module's committed contract artifacts are exactly what the pinned solc makes
 * of its committed sources, by running {@code node scripts/compile-contracts.mjs <module> --check}
 * (exit 1 if any artifact differs, is missing or is stale), or with {@code --test} for the test
 * contracts under {@code src/test/solidity/}. Shared by the modules' {@code ContractArtifactsIT}s.
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
        check(module, List.of(), expected, temp);
    }

    /**
     * Asserts that {@code module}'s test-contract artifacts ({@code src/test/solidity/}, written to
     * {@code src/test/resources/dev/forage/<module>/testcontracts/}) are up to date and that there
     * are {@code expected} of them.
     *
     * @param temp a scratch folder for the compiler's output
     */
    public static void assertTestContractsUpToDate(String module, int expected, Path temp)
            throws IOException, InterruptedException {
        check(module, List.of("--test"), expected, temp);
    }

    private static void check(String module, List<String> flags, int expected, Path temp)
            throws IOException, InterruptedException {
        String root = System.getProperty("forage.root");
        assertThat(root).as("system property forage.root (the repository root, set by the Failsafe configuration)")
                .isNotBlank();
        Path rootDir = Path.of(root);
        assertThat(rootDir.resolve("scripts/compile-contracts.mjs")).isRegularFile();
        // A file, not a pipe, so the process can never block on unread output.
        Path log = temp.resolve("compile-contracts-" + module + String.join("", flags) + ".log");
        List<String> command = new ArrayList<>(List.of("node", "scripts/compile-contracts.mjs", module));
        command.addAll(flags);
        command.add("--check");

        Process process = start(rootDir, command, log);
        boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(exited).as("compile-contracts.mjs finished within %d s; output so far:%n%s", TIMEOUT_SECONDS, output)
                .isTrue();
        assertThat(process.exitValue())
                .as("%s (exit 1: artifacts out of date, run it without --check and commit the result; "
                        + "exit 2: setup or compile error). Output:%n%s", String.join(" ", command), output)
                .isZero();
        assertThat(output).contains(expected + " artifact(s) up to date");
    }

    private static Process start(Path rootDir, List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
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
