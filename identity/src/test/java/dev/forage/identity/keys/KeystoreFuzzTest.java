package dev.forage.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Coverage-guided fuzzing of V3 keystore files as {@link KeystoreSigner#load} reads them: the
 * input is the file's content, unlocked with a password generated for this run. For any
 * content it returns a signer or throws a {@link KeystoreException}, never anything else, and
 * never takes long: the key-derivation cost the file asks for is bounded before any is paid.
 * The corpus under {@code KeystoreFuzzTestInputs} holds no key: its ciphertexts are random
 * bytes whose MAC cannot match, so the fuzzer explores the JSON and the KDF parameters.
 */
class KeystoreFuzzTest {

    private static final PasswordSource PASSWORD;
    private static final Path FILE;

    static {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        PASSWORD = PasswordSource.environment("FORAGE_FUZZ_KEYSTORE_PASSWORD",
                Map.of("FORAGE_FUZZ_KEYSTORE_PASSWORD", HexFormat.of().formatHex(random)));
        try {
            Path dir = Files.createTempDirectory("keystore-fuzz");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("keystore.json");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void load(byte[] content) throws IOException {
        Files.write(FILE, content);
        long start = System.nanoTime();
        try {
            KeystoreSigner signer = KeystoreSigner.load(FILE, PASSWORD);
            // only a file encrypted under this run's password gets here, and its address checks out
            assertThat(signer.address()).isNotNull();
        } catch (KeystoreException refused) {
            assertThat(refused.getMessage()).as("refusal of %s", new String(content, StandardCharsets.UTF_8))
                    .contains(FILE.toString());
        }
        assertThat(System.nanoTime() - start).as("nanoseconds to load %s", new String(content, StandardCharsets.UTF_8))
                .isLessThan(30_000_000_000L);
    }
}
