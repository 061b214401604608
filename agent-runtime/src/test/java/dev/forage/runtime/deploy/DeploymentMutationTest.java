package dev.forage.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.runtime.testing.Cases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: whatever a deployment file holds, loading it gives a deployment (which then writes
 * back and reloads equal) or a {@link DeploymentException} whose problems each have a position
 * inside the file and a message, never any other exception. The inputs are valid deployments
 * broken by seeded edits (lines deleted, swapped, repeated or re-indented, characters cut, YAML
 * punctuation, aliases, tags, control characters and secret-shaped values inserted), so most
 * cases reach the schema and the checks behind it rather than stopping at the parser.
 *
 * <p>{@link DeploymentLoaderFuzzTest} fuzzes the same property coverage-guided; this one runs
 * structured edits of valid documents in every build.
 */
class DeploymentMutationTest {

    private static final int CASES = 1000;

    private static final List<String> INSERTS = List.of("{", "}", "[", "]", ":", ": ", "- ", "-", ",", "#", "&a ", "*a", "!!binary ",
            "!!int ", "? ", "|", ">", "'", "\"", "\t", "\u0000", "\uFEFF", "\r", "\n", "  ", "~", "null", "yes", ".inf", ".nan",
            "0x", "1e999", "-1", "99999999999999999999999", "0.0000001", "PT0S", "P", "eip155:", "USDC", "apiKey: ", "password: ",
            "sk-test-0123456789abcdefghij", DeploymentProblemsTest.FAKE_PRIVATE_KEY, "%", "@", "`",
            "---\n", "...\n", "<<: ", "é", "😀", "../", "/", "\\");

    @TempDir
    Path dir;

    @BeforeEach
    void policyFile() throws IOException {
        Files.writeString(dir.resolve("policy.yaml"), "apiVersion: forage.dev/v1\nkind: SpendingPolicy\nmetadata: {name: p}\nspec: {}\n");
    }

    static LongStream seeds() {
        return Cases.seeds(CASES);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aBrokenFileGivesADeploymentOrProblemsWithPositions(long seed) {
        RandomGenerator r = Cases.random(seed);
        String input = mutate(r, r.nextBoolean() ? DeploymentProblemsTest.VALID : DeploymentModelTest.FULL);
        Cases.check(seed, () -> input.replace("\u0000", "\\u0000"), () -> {
            // YAML breaks lines at CR, LF, CRLF, NEL, LS and PS, and so do its positions.
            int lines = input.split("\r\n|[\n\r\u0085\u2028\u2029]", -1).length;
            try {
                AgentDeployment deployment = DeploymentLoader.create().parse("deploy.yaml", input, dir);
                assertThat(DeploymentLoader.create().parse("again.yaml", deployment.toYaml(), dir)).isEqualTo(deployment);
            } catch (DeploymentException e) {
                assertThat(e.problems()).isNotEmpty().allSatisfy(p -> {
                    assertThat(p.source()).isEqualTo("deploy.yaml");
                    assertThat(p.line()).isBetween(0, lines + 1);
                    assertThat(p.column()).isNotNegative();
                    assertThat(p.message()).isNotBlank();
                });
                assertThat(e.getMessage()).doesNotContain("0123456789abcdefghij", DeploymentProblemsTest.FAKE_PRIVATE_KEY.substring(2, 34));
            }
        });
    }

    private static String mutate(RandomGenerator r, String valid) {
        List<String> lines = new ArrayList<>(Arrays.asList(valid.split("\n", -1)));
        for (int edits = 1 + r.nextInt(4); edits > 0; edits--) {
            int i = r.nextInt(lines.size());
            String line = lines.get(i);
            switch (r.nextInt(8)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(i, line);
                case 2 -> {
                    int j = r.nextInt(lines.size());
                    lines.set(i, lines.get(j));
                    lines.set(j, line);
                }
                case 3 -> lines.set(i, (r.nextBoolean() ? "  " : "") + line.substring(Math.min(line.length(), r.nextInt(3))));
                case 4 -> {
                    int at = r.nextInt(line.length() + 1);
                    lines.set(i, line.substring(0, at) + INSERTS.get(r.nextInt(INSERTS.size())) + line.substring(at));
                }
                case 5 -> {
                    int colon = line.indexOf(": ");
                    if (colon >= 0) {
                        lines.set(i, line.substring(0, colon + 2) + INSERTS.get(r.nextInt(INSERTS.size())));
                    }
                }
                case 6 -> {
                    if (!line.isEmpty()) {
                        int at = r.nextInt(line.length());
                        lines.set(i, line.substring(0, at) + line.substring(Math.min(line.length(), at + 1 + r.nextInt(4))));
                    }
                }
                default -> {
                    if (r.nextInt(4) == 0) {
                        String text = String.join("\n", lines);
                        return text.substring(0, r.nextInt(text.length() + 1));
                    }
                }
            }
            if (lines.isEmpty()) {
                lines.add("");
            }
        }
        return String.join("\n", lines);
    }
}
