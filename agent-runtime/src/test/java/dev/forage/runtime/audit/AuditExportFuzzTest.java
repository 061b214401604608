package dev.forage.runtime.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.runtime.audit.note.NoteSigner;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Coverage-guided fuzzing of the audit export file, which an auditor receives from outside
 * and checks offline with {@link AuditVerifier#verifyExport} (and may load as a trusted
 * reference with {@link AuditVerifier#loadTrusted}). The input is the file's text, written to
 * a temporary file as the CLI would read it.
 *
 * <p>Each input is verified twice: as it is, against this test's key (so every signature
 * fails), and with every well-formed checkpoint re-signed by that key, so the fuzzer reaches the
 * entry, proof and consistency checks behind the signatures. The property: verification
 * returns a result or throws an {@link AuditException}, never anything else; the same file
 * verifies the same way twice; a verified export checked one entry per entry line. The corpus
 * under {@code AuditExportFuzzTestInputs} is replayed by every build; its exports were signed
 * by a key that was thrown away, which the re-signing makes irrelevant.
 */
class AuditExportFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NoteSigner SIGNER = NoteSigner.generate("forage.dev/test-log", new SecureRandom());
    private static final Path FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("audit-export-fuzz");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("export.jsonl");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void export(byte[] input) throws IOException {
        verify(input);
        verify(resigned(new String(input, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    private static void verify(byte[] file) throws IOException {
        Files.write(FILE, file);
        VerificationResult first = orRefusal(() -> AuditVerifier.verifyExport(FILE, SIGNER.verifier(), List.of()), file);
        VerificationResult second = orRefusal(() -> AuditVerifier.verifyExport(FILE, SIGNER.verifier(), List.of()), file);
        assertThat(second).as("second verification of %s", text(file)).isEqualTo(first);
        if (first instanceof VerificationResult.Verified v) {
            long entryLines = text(file).lines().filter(l -> l.contains("\"entry\"") && !l.isBlank()).count();
            assertThat(v.entriesChecked()).as("entries checked in %s", text(file)).isLessThanOrEqualTo(entryLines);
            assertThat(v.signedSize()).isLessThanOrEqualTo(v.entriesChecked());
        }
        orRefusal(() -> AuditVerifier.loadTrusted(FILE, SIGNER.verifier()), file);
    }

    /** The text with the note of every line's well-formed checkpoint replaced by one this test's key signed. */
    private static String resigned(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            out.add(resignedLine(line));
        }
        return String.join("\n", out);
    }

    private static String resignedLine(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            if (node instanceof ObjectNode o && o.get("checkpoint") != null && o.get("checkpoint").isTextual()) {
                SignedCheckpoint cp = SignedCheckpoint.parse(o.get("checkpoint").textValue());
                o.put("checkpoint", SignedCheckpoint.sign(cp.checkpoint(), SIGNER).encode());
                return JSON.writeValueAsString(o);
            }
        } catch (IOException | AuditException | IllegalArgumentException e) {
            // not a line this harness can re-sign: the verifier gets it as it is
        }
        return line;
    }

    private static <T> T orRefusal(Supplier<T> verify, byte[] file) {
        try {
            return verify.get();
        } catch (AuditException refused) {
            assertThat(refused.getMessage()).as("refusal of %s", text(file)).isNotBlank();
            return null;
        }
    }

    private static String text(byte[] file) {
        return new String(file, StandardCharsets.UTF_8);
    }
}
