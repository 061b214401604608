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
