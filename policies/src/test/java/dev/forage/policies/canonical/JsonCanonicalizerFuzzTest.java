package dev.forage.policies.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.forage.policies.PolicyException;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of RFC 8785 canonicalization, which reads JSON from outside (spend
 * intents, audit entries). For any text it returns bytes or throws a {@link PolicyException};
 * whatever it accepts, its canonical output is a fixed point (canonicalizing it again changes
 * nothing). The corpus under {@code JsonCanonicalizerFuzzTestInputs} is replayed by every build.
 */
class JsonCanonicalizerFuzzTest {

    @FuzzTest
    void canonicalize(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        byte[] canonical;
        try {
            canonical = JsonCanonicalizer.canonicalize(text);
        } catch (PolicyException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        String once = new String(canonical, StandardCharsets.UTF_8);
        assertThat(new String(JsonCanonicalizer.canonicalize(once), StandardCharsets.UTF_8))
                .as("canonicalizing the canonical form of %s", text)
                .isEqualTo(once);
    }
}
