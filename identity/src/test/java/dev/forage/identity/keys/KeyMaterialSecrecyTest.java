package dev.forage.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forage.identity.Signer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key material must never leave a signer: not through toString, JSON, exceptions (message,
 * cause chain, stack trace), log output, or the keystore file. Each path is exercised with a
 * key generated here, and its every common encoding is searched for.
 */
class KeyMaterialSecrecyTest {

    @TempDir
    Path dir;

    @Test
    void noPathExposesThePrivateKeyOrThePassword() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        key[0] = 0x11; // keep it inside the curve order
        String passwordText = HexFormat.of().formatHex(randomBytes(16));
        Path pwFile = dir.resolve("pw");
        Files.writeString(pwFile, passwordText);
        PasswordSource password = PasswordSource.file(pwFile);
        List<String> secrets = encodings(key);
        secrets.add(passwordText);

        List<String> observed = new ArrayList<>();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        System.setOut(capture);
        try {
            Path file = dir.resolve("agent.json");
            KeystoreSigner keystore = KeystoreSigner.importKey(key.clone(), file, password, KeystoreSigner.KdfStrength.LIGHT);
            InMemorySigner memory = InMemorySigner.fromPrivateKey(key.clone());
            KeystoreSigner reloaded = KeystoreSigner.load(file, password);

            for (Signer s : List.of(keystore, memory, reloaded)) {
                observed.add(s.toString());
                observed.add(String.valueOf(s));
                observed.add(new ObjectMapper().writeValueAsString(s));
                observed.add(new ObjectMapper().writeValueAsString(Map.of("signer", s)));
                observed.add(describe(catchThrowable(() -> s.sign(new byte[31]))));
                observed.add(describe(catchThrowable(() -> s.sign(null))));
                observed.add(s.sign(new byte[32]).toString());
            }
            observed.add(Files.readString(file));
            observed.add(describe(catchThrowable(() -> KeystoreSigner.load(file, PasswordSource.environment("X", Map.of("X", "wrong"))))));
            observed.add(describe(catchThrowable(() -> KeystoreSigner.importKey(key.clone(), file, password, KeystoreSigner.KdfStrength.LIGHT))));
            observed.add(describe(catchThrowable(() -> KeystoreSigner.importKey(new byte[31], dir.resolve("x.json"), password, KeystoreSigner.KdfStrength.LIGHT))));
            Path readOnly = dir.resolve("ro");
            Files.createDirectories(readOnly);
            readOnly.toFile().setWritable(false);
            observed.add(describe(catchThrowable(() -> KeystoreSigner.importKey(key.clone(), readOnly.resolve("k.json"), password, KeystoreSigner.KdfStrength.LIGHT))));
            readOnly.toFile().setWritable(true);
            Files.writeString(file, Files.readString(file).replace("\"mac\" : \"", "\"mac\" : \"00"));
            observed.add(describe(catchThrowable(() -> KeystoreSigner.load(file, password))));
            observed.add(describe(catchThrowable(() -> InMemorySigner.fromPrivateKey(new byte[32]))));
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        observed.add(console.toString(StandardCharsets.UTF_8));

        assertThat(observed).hasSizeGreaterThan(20);
        for (String text : observed) {
            for (String secret : secrets) {
                assertThat(text.toLowerCase()).as("observed output").doesNotContain(secret.toLowerCase());
            }
        }
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "";
        }
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return t + "\n" + out;
    }

    private static List<String> encodings(byte[] key) {
        List<String> out = new ArrayList<>();
        out.add(HexFormat.of().formatHex(key));
        out.add(new BigInteger(1, key).toString());
        out.add(new BigInteger(1, key).toString(16));
        out.add(Base64.getEncoder().encodeToString(key));
        return out;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
