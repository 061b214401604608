package dev.forage.runtime.audit.note;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.forage.runtime.audit.AuditException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Coverage-guided fuzzing of the signed-note formats an auditor reads from outside: signed
 * notes, tlog checkpoints, signed checkpoints and verifier keys. For any input each parser
 * returns a value or throws an {@link AuditException}; whatever it accepts encodes to text that
 * parses to an equal value, and checking a parsed note's signatures never throws. The corpora
 * under {@code SignedNoteFuzzTestInputs} are replayed by every build.
 */
class SignedNoteFuzzTest {

    private static final NoteSigner SIGNER = NoteSigner.generate("forage.dev/test-log", new SecureRandom());

    @FuzzTest
    void signedNote(byte[] input) {
        SignedNote note = parseOrRefuse(() -> SignedNote.parse(input), input);
        if (note != null) {
            assertThat(SignedNote.parse(note.encode())).as("re-parsed note %s", note.encode()).isEqualTo(note);
            assertThat(SignedNote.parse(note.encode().getBytes(StandardCharsets.UTF_8))).isEqualTo(note);
            assertThat(note.status(SIGNER.verifier())).isIn(SignedNote.Status.NOT_SIGNED, SignedNote.Status.INVALID);
        }
    }

    @FuzzTest
    void checkpoint(byte[] input) {
        roundTrips(input, Checkpoint::parse, Checkpoint::text);
    }

    @FuzzTest
    void signedCheckpoint(byte[] input) {
        SignedCheckpoint cp = roundTrips(input, SignedCheckpoint::parse, SignedCheckpoint::encode);
        if (cp != null) {
            assertThat(cp.verifiedBy(SIGNER.verifier())).isFalse();
            SignedCheckpoint resigned = SignedCheckpoint.sign(cp.checkpoint(), SIGNER);
            assertThat(SignedCheckpoint.parse(resigned.encode()).verifiedBy(SIGNER.verifier())).isTrue();
        }
    }

    @FuzzTest
    void verifierKey(byte[] input) {
        roundTrips(input, NoteVerifier::parse, NoteVerifier::encode);
    }

    private static <T> T roundTrips(byte[] input, Function<String, T> parse, Function<T, String> encode) {
        String text = new String(input, StandardCharsets.UTF_8);
        T value = parseOrRefuse(() -> parse.apply(text), input);
        if (value != null) {
            String encoded = encode.apply(value);
            assertThat(parse.apply(encoded)).as("%s encoded and parsed again", text).isEqualTo(value);
            assertThat(encode.apply(parse.apply(encoded))).as("%s re-encoded", text).isEqualTo(encoded);
        }
        return value;
    }

    private static <T> T parseOrRefuse(Supplier<T> parse, byte[] input) {
        try {
            return parse.get();
        } catch (AuditException refused) {
            assertThat(refused.getMessage()).as("refusal of %s", new String(input, StandardCharsets.UTF_8)).isNotBlank();
            return null;
        }
    }
}
