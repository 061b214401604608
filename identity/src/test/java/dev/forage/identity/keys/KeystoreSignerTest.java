package dev.forage.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.eip712.Eip712;
import dev.forage.identity.Signature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;

class KeystoreSignerTest {

    @TempDir
    Path dir;

    private PasswordSource password(String name) throws IOException {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        Path file = dir.resolve(name);
        Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
        return PasswordSource.file(file);
    }

    @Test
    void createsAV3KeystoreThatLoadsBackToTheSameKey() throws IOException {
        PasswordSource password = password("pw");
        Path file = dir.resolve("agent.json");

        KeystoreSigner created = KeystoreSigner.create(file, password, KeystoreSigner.KdfStrength.LIGHT);
        KeystoreSigner loaded = KeystoreSigner.load(file, password);

        assertThat(loaded.address()).isEqualTo(created.address());
        String json = Files.readString(file);
        assertThat(json).contains("\"version\" : 3").contains("\"kdf\" : \"scrypt\"").contains("aes-128-ctr")
                .contains(created.address().lowercase().substring(2));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        byte[] digest = Hash.sha3("hello".getBytes(StandardCharsets.UTF_8));
        Signature sig = loaded.sign(digest);
        assertThat(Eip712.recover(digest, sig)).isEqualTo(created.address());
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("pw", "agent.json");
    }

    @Test
    void refusesToOverwriteAnExistingKeystore() throws IOException {
        PasswordSource password = password("pw");
        Path file = dir.resolve("agent.json");
        KeystoreSigner.create(file, password, KeystoreSigner.KdfStrength.LIGHT);
        String before = Files.readString(file);

        assertThatThrownBy(() -> KeystoreSigner.create(file, password, KeystoreSigner.KdfStrength.LIGHT))
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.ALREADY_EXISTS))
                .hasMessageContaining(file.toString());
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void changingThePasswordKeepsTheKeyAndRetiresTheOldPassword() throws IOException {
        PasswordSource oldPassword = password("old");
        PasswordSource newPassword = password("new");
        Path file = dir.resolve("agent.json");
        KeystoreSigner signer = KeystoreSigner.create(file, oldPassword, KeystoreSigner.KdfStrength.LIGHT);

        KeystoreSigner changed = signer.changePassword(newPassword, KeystoreSigner.KdfStrength.LIGHT);

        assertThat(changed.address()).isEqualTo(signer.address());
        assertThat(KeystoreSigner.load(file, newPassword).address()).isEqualTo(signer.address());
        assertThatThrownBy(() -> KeystoreSigner.load(file, oldPassword))
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.WRONG_PASSWORD));
    }

    @Test
    void aWrongPasswordIsATypedErrorNamingTheFileAndTheSource() throws IOException {
        Path file = dir.resolve("agent.json");
        KeystoreSigner.create(file, password("right"), KeystoreSigner.KdfStrength.LIGHT);
        PasswordSource wrong = password("wrong");

        assertThatThrownBy(() -> KeystoreSigner.load(file, wrong))
                .isInstanceOfSatisfying(KeystoreException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeystoreException.Reason.WRONG_PASSWORD);
                    assertThat(e.retriable()).isFalse();
                })
                .hasMessageContaining(file.toString())
                .hasMessageContaining("password file " + dir.resolve("wrong"));
    }

    @ParameterizedTest
    @CsvSource({
            "n, 1073741824, N=1073741824",
            "n, 4095, N=4095",
            "r, 1048576, r=1048576",
            "p, 2147483647, p=2147483647",
            "dklen, 1073741824, 1073741824-byte key",
    })
    void aKeystoreAskingForAHugeKdfCostIsRefusedBeforeAnyWork(String param, int value, String named) throws IOException {
        // found while fuzzing KeystoreSigner.load: web3j runs whatever cost the file names, so a
        // crafted file made it allocate gigabytes or spin for hours
        PasswordSource password = password("pw");
        Path file = dir.resolve("costly.json");
        KeystoreSigner.create(file, password, KeystoreSigner.KdfStrength.LIGHT);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(file.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("crypto").path("kdfparams")).put(param, value);
        Files.writeString(file, tree.toString());

        long start = System.nanoTime();
        assertThatThrownBy(() -> KeystoreSigner.load(file, password))
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.CORRUPT))
                .hasMessageContaining(named)
                .hasMessageContaining(file.toString());
        assertThat(System.nanoTime() - start).as("nanoseconds to refuse").isLessThan(2_000_000_000L);
    }

    @Test
    void theStandardCostIsWithinTheBounds() throws IOException {
        PasswordSource password = password("pw");
        Path file = dir.resolve("standard.json");
        KeystoreSigner created = KeystoreSigner.create(file, password, KeystoreSigner.KdfStrength.STANDARD);

        assertThat(KeystoreSigner.load(file, password).address()).isEqualTo(created.address());
    }

    @Test
    void aHugePbkdf2IterationCountOrFileIsRefused() throws IOException {
        PasswordSource password = password("pw");
        Path pbkdf2 = dir.resolve("pbkdf2.json");
        Files.writeString(pbkdf2, """
                {"version":3,"id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","address":"008aeeda4d805471df9b2a5b0f38a0c3bcba786b",
                 "crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"6087dab2f9fdbbfaddc31a909735c1e6"},
                 "ciphertext":"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46","kdf":"pbkdf2",
                 "kdfparams":{"c":2147483647,"dklen":32,"prf":"hmac-sha256","salt":"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
                 "mac":"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"}}
                """);
        assertThatThrownBy(() -> KeystoreSigner.load(pbkdf2, password))
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.CORRUPT))
                .hasMessageContaining("2147483647 PBKDF2 iterations");

        Path huge = dir.resolve("huge.json");
        Files.write(huge, new byte[KeystoreSigner.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> KeystoreSigner.load(huge, password))
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.CORRUPT))
                .hasMessageContaining(KeystoreSigner.MAX_FILE_BYTES + 1 + " bytes");
    }

    @Test
    void aCorruptOrMissingFileIsATypedError() throws IOException {
        PasswordSource password = password("pw");
        Path truncated = dir.resolve("truncated.json");
        KeystoreSigner.create(truncated, password, KeystoreSigner.KdfStrength.LIGHT);
        String json = Files.readString(truncated);
        Files.writeString(truncated, json.substring(0, json.length() / 2));
        assertThatThrownBy(() -> KeystoreSigner.load(truncated, password))
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.CORRUPT))
                .hasMessageContaining("truncated.json");

        Path tampered = dir.resolve("tampered.json");
        KeystoreSigner.create(tampered, password, KeystoreSigner.KdfStrength.LIGHT);
        String original = Files.readString(tampered);
        String cipher = original.replaceAll("(?s).*\"ciphertext\" : \"([0-9a-f]+)\".*", "$1");
        String flipped = (cipher.charAt(0) == '0' ? "1" : "0") + cipher.substring(1);
        Files.writeString(tampered, original.replace(cipher, flipped));
        assertThatThrownBy(() -> KeystoreSigner.load(tampered, password))
                .isInstanceOf(KeystoreException.class)
                .hasMessageContaining("tampered.json");

        Path notJson = dir.resolve("not.json");
        Files.writeString(notJson, "hello");
        assertThatThrownBy(() -> KeystoreSigner.load(notJson, password))
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.CORRUPT));

        assertThatThrownBy(() -> KeystoreSigner.load(dir.resolve("absent.json"), password))
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.NOT_FOUND))
                .hasMessageContaining("absent.json");
    }

    @Test
    void passwordsComeFromAFileOrANamedEnvironmentVariableNeverALiteral() throws IOException {
        Path file = dir.resolve("agent.json");
        PasswordSource fromFile = password("pw");
        KeystoreSigner created = KeystoreSigner.create(file, fromFile, KeystoreSigner.KdfStrength.LIGHT);
        String secret = Files.readString(dir.resolve("pw")).trim();

        PasswordSource fromEnv = PasswordSource.environment("AGENT_PW", Map.of("AGENT_PW", secret));
        assertThat(KeystoreSigner.load(file, fromEnv).address()).isEqualTo(created.address());
        assertThat(fromEnv.toString()).isEqualTo("environment variable AGENT_PW").doesNotContain(secret);

        assertThatThrownBy(() -> KeystoreSigner.load(file, PasswordSource.environment("UNSET_PW", Map.of())))
                .isInstanceOfSatisfying(KeystoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeystoreException.Reason.PASSWORD_UNAVAILABLE))
                .hasMessageContaining("UNSET_PW");
        assertThatThrownBy(() -> PasswordSource.environment("hunter2!"))
                .hasMessageContaining("NAME of the variable");
        Files.writeString(dir.resolve("empty"), "");
        assertThatThrownBy(() -> KeystoreSigner.load(file, PasswordSource.file(dir.resolve("empty"))))
                .hasMessageContaining("is empty");
    }

    @Test
    void importsAnExistingKey() throws IOException {
        byte[] key = Hash.sha3("cow".getBytes(StandardCharsets.UTF_8));
        KeystoreSigner signer = KeystoreSigner.importKey(key, dir.resolve("cow.json"), password("pw"),
                KeystoreSigner.KdfStrength.LIGHT);
        assertThat(signer.address().value()).isEqualTo("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
    }
}
