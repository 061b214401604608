package dev.forage.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of deployment loading: YAML with positions, the secret scan, the
 * schema and the translation of its errors, the semantic checks and the model. For any text,
 * loading returns a deployment or throws a {@link DeploymentException} whose problems each have
 * a message and a position inside the text; a deployment that loads writes back to YAML that
 * loads equal. The corpus under {@code DeploymentLoaderFuzzTestInputs} (the samples, the test
 * documents and broken variants) is replayed by every build.
 */
class DeploymentLoaderFuzzTest {

    /** The folder relative paths resolve against; it holds the policy file the seeds name. */
    private static final Path BASE = base();

    @FuzzTest
    void load(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        // YAML breaks lines at CR, LF, CRLF, NEL, LS and PS, and so do its positions.
        int lines = text.split("\r\n|[\n\r\u0085\u2028\u2029]", -1).length;
        AgentDeployment deployment;
        try {
            deployment = DeploymentLoader.create().parse("fuzz.yaml", text, BASE);
        } catch (DeploymentException refused) {
            assertThat(refused.problems()).as("problems for %s", text).isNotEmpty().allSatisfy(p -> {
                assertThat(p.message()).isNotBlank();
                assertThat(p.line()).isBetween(0, lines + 1);
                assertThat(p.column()).isNotNegative();
            });
            return;
        }
        String yaml = deployment.toYaml();
        assertThat(DeploymentLoader.create().parse("rewritten.yaml", yaml, BASE)).as("%s written as\n%s", text, yaml)
                .isEqualTo(deployment);
    }

    private static Path base() {
        try {
            Path dir = Files.createTempDirectory("deployment-fuzz");
            Files.writeString(dir.resolve("policy.yaml"), "apiVersion: forage.dev/v1\nkind: SpendingPolicy\nmetadata: {name: p}\nspec: {}\n");
            dir.toFile().deleteOnExit();
            dir.resolve("policy.yaml").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
