package dev.forage.runtime.audit.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.runtime.audit.AuditFormatException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with golang.org/x/mod/sumdb/note, the reference signed-note implementation:
 * the key strings and the signed note below are its published test vectors (note_test.go),
 * public test data, not a key of this project.
 */
class SignedNoteTest {

    private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String PETER_SIG =
            "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private static final String ENOCH_SIG =
            "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    @Test
    void ourSignerReproducesTheGoSignatureByteForByte() {
        NoteSigner signer = NoteSigner.parse(PETER_SKEY);

        String note = SignedNote.sign(TEXT, signer).encode();

        assertThat(note).isEqualTo(TEXT + "\n" + PETER_SIG);
        assertThat(signer.verifier().encode()).isEqualTo(PETER_VKEY);
        assertThat(signer.keyId()).isEqualTo(0xc74f20a3);
        assertThat(signer.toString()).doesNotContain("AYEKFALVFGyNhPJEMzD1QIDr");
    }

    @Test
    void ourVerifierAcceptsTheGoNotes() {
        NoteVerifier peter = NoteVerifier.parse(PETER_VKEY);
        NoteVerifier enoch = NoteVerifier.parse(ENOCH_VKEY);

        SignedNote note = SignedNote.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG);

        assertThat(note.text()).isEqualTo(TEXT);
        assertThat(note.signatures()).hasSize(2);
        assertThat(note.status(peter)).isEqualTo(SignedNote.Status.VERIFIED);
        assertThat(note.status(enoch)).isEqualTo(SignedNote.Status.VERIFIED);
        assertThat(note.signatures().get(1).keyId()).isEqualTo(0xaf0cfe78);
        assertThat(note.encode()).isEqualTo(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
    }

    @Test
    void aCorruptedSignatureByAKnownKeyIsInvalidAndUnknownKeysAreIgnored() {
        NoteVerifier peter = NoteVerifier.parse(PETER_VKEY);
        String corrupted = PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);

        assertThat(SignedNote.parse(TEXT + "\n" + corrupted).status(peter)).isEqualTo(SignedNote.Status.INVALID);
        assertThat(SignedNote.parse(TEXT + "\n" + ENOCH_SIG).status(peter)).isEqualTo(SignedNote.Status.NOT_SIGNED);
        String misnamed = PETER_SIG.replace("PeterNeumann", "CarmenSandiego");
        assertThat(SignedNote.parse(TEXT + "\n" + misnamed).status(peter)).isEqualTo(SignedNote.Status.NOT_SIGNED);
        String changedText = TEXT.replace("answer", "question");
        assertThat(SignedNote.parse(changedText + "\n" + PETER_SIG).status(peter)).isEqualTo(SignedNote.Status.INVALID);
    }

    @Test
    void malformedNotesAreRejectedAsGoRejectsThem() {
        List<String> bad = List.of(
                TEXT,
                TEXT + "\n",
                TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
                "\u0001" + TEXT + "\n" + PETER_SIG,
                TEXT + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
                TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
                TEXT + "\n" + PETER_SIG.repeat(101));
        for (String msg : bad) {
            assertThatThrownBy(() -> SignedNote.parse(msg)).as(msg).isInstanceOf(AuditFormatException.class)
                    .hasMessageStartingWith("malformed signed note");
        }
        byte[] invalidUtf8 = (TEXT + "\n" + PETER_SIG).getBytes(StandardCharsets.UTF_8);
        invalidUtf8[0] = (byte) 0xff;
        assertThatThrownBy(() -> SignedNote.parse(invalidUtf8)).isInstanceOf(AuditFormatException.class);
    }

    @Test
    void everyManglingOfTheVerifierKeyIsRejected() {
        // as note_test.go TestNewVerifier: every proper substring and every single-byte change
        assertThat(NoteVerifier.parse(PETER_VKEY).name()).isEqualTo("PeterNeumann");
        byte[] b = PETER_VKEY.getBytes(StandardCharsets.US_ASCII);
        int rejected = 0;
        int tried = 0;
        for (int i = 0; i <= b.length; i++) {
            for (int j = i + 1; j <= b.length; j++) {
                if (i != 0 || j != b.length) {
                    tried++;
                    String part = new String(b, i, j - i, StandardCharsets.US_ASCII);
                    rejected += rejects(() -> NoteVerifier.parse(part));
                }
            }
        }
        for (int i = 0; i < b.length; i++) {
            b[i]++;
            tried++;
            String mangled = new String(b, StandardCharsets.US_ASCII);
            rejected += rejects(() -> NoteVerifier.parse(mangled));
            b[i]--;
        }
        assertThat(rejected).isEqualTo(tried);
        assertThat(rejects(() -> NoteVerifier.parse(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))).isEqualTo(1);
        assertThat(rejects(() -> NoteVerifier.parse(
                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))).isEqualTo(1);
    }

    @Test
    void everyManglingOfTheSignerKeyIsRejectedWithoutEchoingIt() {
        byte[] b = PETER_SKEY.getBytes(StandardCharsets.US_ASCII);
        int rejected = 0;
        int tried = 0;
        for (int i = 0; i < b.length; i++) {
            b[i]++;
            tried++;
            String mangled = new String(b, StandardCharsets.US_ASCII);
            try {
                NoteSigner.parse(mangled);
            } catch (AuditFormatException e) {
                rejected++;
                assertThat(e.getMessage()).doesNotContain("AYEKFALVFGyNhPJEMzD1QIDr");
            }
            b[i]--;
        }
        assertThat(rejected).isEqualTo(tried);
    }

    @Test
    void freshKeysSignAndVerify() {
        NoteSigner signer = NoteSigner.generate("forage.dev/test-log", new SecureRandom());

        SignedNote note = SignedNote.sign("forage.dev/test-log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", signer);
        SignedNote reparsed = SignedNote.parse(note.encode());

        assertThat(reparsed.verifiedBy(signer.verifier())).isTrue();
        assertThat(NoteVerifier.parse(signer.verifier().encode())).isEqualTo(signer.verifier());
        assertThat(reparsed.verifiedBy(NoteSigner.generate("forage.dev/test-log", new SecureRandom()).verifier())).isFalse();
    }

    private static int rejects(Runnable parse) {
        try {
            parse.run();
            return 0;
        } catch (AuditFormatException e) {
            return 1;
        }
    }
}
