package dev.forage.identity.erc8004;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.forage.identity.IdentityException;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of ERC-8004 registration files, which an agent fetches from another
 * agent's {@code agentURI}. For any text, {@link RegistrationFile#read} returns a file or
 * throws its documented {@link IllegalArgumentException} (the one it raises itself, naming
 * what is malformed) or an {@link IdentityException}; never anything else. Whatever it accepts
 * writes back to JSON that reads as an equal file. The corpus under
 * {@code RegistrationFileFuzzTestInputs} is replayed by every build.
 */
class RegistrationFileFuzzTest {

    @FuzzTest
    void read(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        RegistrationFile file;
        try {
            file = RegistrationFile.read(json);
        } catch (IdentityException refused) {
            assertThat(refused.getMessage()).as("refusal of %s", json).isNotBlank();
            return;
        } catch (IllegalArgumentException refused) {
            // only read's own refusal: an IllegalArgumentException from deeper down is a finding
            assertThat(refused.getMessage()).as("refusal of %s", json).startsWith("not a valid ERC-8004 registration file: ");
            return;
        }
        String written = file.toJson();
        assertThat(RegistrationFile.read(written)).as("%s written back as %s", json, written).isEqualTo(file);
    }
}
