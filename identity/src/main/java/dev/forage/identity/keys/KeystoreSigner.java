package dev.forage.identity.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forage.identity.Address;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.UUID;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;

/**
 * A signer whose key is kept at rest in an Ethereum V3 keystore file (scrypt key derivation,
 * AES-128-CTR), the format geth, Foundry and MetaMask read and write.
 *
 * <p>Files are written atomically (a temporary file in the same folder, flushed to disk, then
 * renamed over the target) with owner-only permissions, so a crash never leaves half a keystore.
 */
public final class KeystoreSigner extends EcKeySigner {

    /** The scrypt cost of a new keystore file. */
    public enum KdfStrength {
        /** geth's standard parameters (N = 2^18, p = 1): about a second and 256 MiB to unlock. */
        STANDARD(1 << 18, 1),
        /** geth's light parameters (N = 2^12, p = 6): for tests and throw-away devnet keys. */
        LIGHT(1 << 12, 6);

        private final int n;
        private final int p;

        KdfStrength(int n, int p) {
            this.n = n;
            this.p = p;
        }
    }

    /** The largest keystore file read: a V3 keystore is about 500 bytes. */
    static final int MAX_FILE_BYTES = 64 * 1024;
    /** The largest scrypt N unlocked (geth's standard); with r at most 8 that is 256 MiB of memory. */
    static final int MAX_SCRYPT_N = 1 << 18;
    /** The largest scrypt r (block size) unlocked. */
    static final int MAX_SCRYPT_R = 8;
    /** The largest scrypt N·r·p unlocked: twice geth's standard cost (2^18·8·1), a few seconds. */
    static final long MAX_SCRYPT_WORK = 1L << 22;
    /** The most PBKDF2 iterations unlocked (geth writes 2^18). */
    static final int MAX_PBKDF2_ITERATIONS = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;

    private KeystoreSigner(ECKeyPair keyPair, Path file) {
        super(keyPair);
        this.file = file;
    }

    /**
     * Generates a new key and writes it to a new keystore file.
     *
     * @param file where to write; must not exist yet
     * @param password the password that will unlock the file
     * @param strength the scrypt cost
     * @throws KeystoreException if the file exists, the password cannot be read or writing fails
     */
    public static KeystoreSigner create(Path file, PasswordSource password, KdfStrength strength) {
        try {
            return write(Keys.createEcKeyPair(), file, password, strength, false);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate secp256k1 keys: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Writes an existing 32-byte private key to a new keystore file. The caller should wipe
     * its array afterwards.
     *
     * @throws KeystoreException if the file exists, the password cannot be read or writing fails
     */
    public static KeystoreSigner importKey(byte[] privateKey, Path file, PasswordSource password, KdfStrength strength) {
        if (privateKey == null || privateKey.length != 32) {
            throw new IllegalArgumentException("a secp256k1 private key has 32 bytes, got "
                    + (privateKey == null ? "none" : privateKey.length));
        }
        return write(ECKeyPair.create(privateKey), file, password, strength, false);
    }

    /**
     * Unlocks an existing keystore file. The file's key-derivation cost is bounded before any
     * work is done, so a crafted file cannot take minutes or gigabytes: scrypt N at most 2^18,
     * r at most 8 and N·r·p at most 2^22; PBKDF2 at most 2^20 iterations; a 32-byte derived key;
     * a file of at most 64 KiB. Files geth, Foundry, MetaMask and this class write are within them.
     *
     * @throws KeystoreException with reason NOT_FOUND, CORRUPT (also for a cost beyond the bounds),
     *     WRONG_PASSWORD or PASSWORD_UNAVAILABLE
     */
    public static KeystoreSigner load(Path file, PasswordSource password) {
        WalletFile walletFile = readWalletFile(file);
        char[] secret = password.read();
        try {
            ECKeyPair keyPair = Wallet.decrypt(new String(secret), walletFile);
            KeystoreSigner signer = new KeystoreSigner(keyPair, file);
            if (walletFile.getAddress() != null && !walletFile.getAddress().isBlank()
                    && !Address.parse("0x" + walletFile.getAddress().replaceFirst("^0x", "")).equals(signer.address())) {
                throw new KeystoreException(KeystoreException.Reason.CORRUPT, "keystore " + file + " says address 0x"
                        + walletFile.getAddress() + " but its key belongs to " + signer.address()
                        + "; the file was edited or is damaged, restore it from a backup");
            }
            return signer;
        } catch (CipherException e) {
            if (String.valueOf(e.getMessage()).contains("Invalid password")) {
                throw new KeystoreException(KeystoreException.Reason.WRONG_PASSWORD,
                        "the password from " + password + " does not unlock keystore " + file
                                + "; check that it is the password the file was created with");
            }
            throw new KeystoreException(KeystoreException.Reason.CORRUPT,
                    "keystore " + file + " cannot be decrypted (" + e.getMessage()
                            + "); it is not a valid V3 keystore, restore it from a backup", e);
        } catch (RuntimeException e) {
            if (e instanceof KeystoreException) {
                throw e;
            }
            throw new KeystoreException(KeystoreException.Reason.CORRUPT, "keystore " + file
                    + " is not a valid V3 keystore (" + e.getClass().getSimpleName() + "); restore it from a backup", e);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /**
     * Re-encrypts this signer's key under a new password, replacing the file atomically. The
     * key and address stay the same.
     *
     * @return a signer for the rewritten file
     */
    public KeystoreSigner changePassword(PasswordSource newPassword, KdfStrength strength) {
        return write(keyPair(), file, newPassword, strength, true);
    }

    /** The keystore file this signer was loaded from or written to. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "KeystoreSigner[" + address() + ", " + file + "]";
    }

    private static KeystoreSigner write(
            ECKeyPair keyPair, Path file, PasswordSource password, KdfStrength strength, boolean replace) {
        if (!replace && Files.exists(file)) {
            throw new KeystoreException(KeystoreException.Reason.ALREADY_EXISTS,
                    "keystore " + file + " already exists; choose another path or load the existing one");
        }
        char[] secret = password.read();
        byte[] json;
        try {
            WalletFile walletFile = Wallet.create(new String(secret), keyPair, strength.n, strength.p);
            json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(walletFile);
        } catch (CipherException | JsonProcessingException e) {
            throw new KeystoreException(KeystoreException.Reason.IO,
                    "cannot encrypt a keystore for " + file + " (" + e.getClass().getSimpleName() + ")", e);
        } finally {
            Arrays.fill(secret, '\0');
        }
        writeAtomically(file, json, replace);
        return new KeystoreSigner(keyPair, file);
    }

    private static void writeAtomically(Path file, byte[] content, boolean replace) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ownerOnly(tmp);
                ch.write(ByteBuffer.wrap(content));
                ch.force(true);
            }
            if (replace) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // A hard link fails if the target exists, so two creators never overwrite each other.
                try {
                    Files.createLink(target, tmp);
                    Files.delete(tmp);
                } catch (UnsupportedOperationException | AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            syncDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new KeystoreException(KeystoreException.Reason.ALREADY_EXISTS,
                    "keystore " + file + " already exists; choose another path or load the existing one", e);
        } catch (IOException e) {
            throw new KeystoreException(KeystoreException.Reason.IO,
                    "cannot write keystore " + file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + "); check the folder exists and is writable", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The temporary file is hidden and harmless; the target was either written or not.
            }
        }
    }

    private static void ownerOnly(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the platform's default permissions apply.
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a folder; the rename is still atomic, only its durability is weaker.
        }
    }

    private static WalletFile readWalletFile(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new KeystoreException(KeystoreException.Reason.CORRUPT, "keystore " + file + " has "
                        + Files.size(file) + " bytes, more than the " + MAX_FILE_BYTES
                        + " a keystore may have (a V3 keystore is about 500); check that the path names a keystore");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeystoreException(KeystoreException.Reason.NOT_FOUND,
                    "no keystore at " + file + "; check the path or create one", e);
        } catch (IOException e) {
            throw new KeystoreException(KeystoreException.Reason.IO,
                    "cannot read keystore " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        try {
            WalletFile walletFile = JSON.readValue(new String(bytes, StandardCharsets.UTF_8), WalletFile.class);
            if (walletFile == null || walletFile.getCrypto() == null || walletFile.getCrypto().getKdfparams() == null) {
                throw new KeystoreException(KeystoreException.Reason.CORRUPT,
                        "keystore " + file + " has no crypto section; it is not a V3 keystore, restore it from a backup");
            }
            Object kdfParams = walletFile.getCrypto().getKdfparams();
            checkKdfCost(file, kdfParams);
            return walletFile;
        } catch (IOException e) {
            throw new KeystoreException(KeystoreException.Reason.CORRUPT, "keystore " + file
                    + " is not valid keystore JSON (" + e.getClass().getSimpleName()
                    + "); it is damaged, restore it from a backup", e);
        }
    }

    /**
     * Refuses a key-derivation cost beyond the bounds {@link #load} documents, before any of it
     * is paid: web3j would run whatever N, r, p or iteration count the file names.
     */
    private static void checkKdfCost(Path file, Object params) {
        int dklen = params instanceof WalletFile.ScryptKdfParams scrypt ? scrypt.getDklen()
                : params instanceof WalletFile.Aes128CtrKdfParams pbkdf2 ? pbkdf2.getDklen() : 32;
        if (dklen != 32) {
            throw new KeystoreException(KeystoreException.Reason.CORRUPT, "keystore " + file + " derives a "
                    + dklen + "-byte key; V3 keystores derive 32 bytes, restore it from a backup");
        }
        if (params instanceof WalletFile.ScryptKdfParams scrypt) {
            long n = scrypt.getN();
            long r = scrypt.getR();
            long p = scrypt.getP();
            if (n < 2 || n > MAX_SCRYPT_N || Long.bitCount(n) != 1 || r < 1 || r > MAX_SCRYPT_R || p < 1
                    || n * r * p > MAX_SCRYPT_WORK) {
                throw new KeystoreException(KeystoreException.Reason.CORRUPT, "keystore " + file + " asks for scrypt"
                        + " N=" + n + ", r=" + r + ", p=" + p + "; this loader unlocks N a power of two up to 2^18, r up"
                        + " to 8 and N*r*p up to 2^22 (geth's standard is N=2^18, r=8, p=1), so that a file cannot"
                        + " cost minutes or gigabytes to open; re-encrypt the key with standard parameters");
            }
        } else if (params instanceof WalletFile.Aes128CtrKdfParams pbkdf2) {
            if (pbkdf2.getC() < 1 || pbkdf2.getC() > MAX_PBKDF2_ITERATIONS) {
                throw new KeystoreException(KeystoreException.Reason.CORRUPT, "keystore " + file + " asks for "
                        + pbkdf2.getC() + " PBKDF2 iterations; this loader unlocks 1 to 2^20 (geth writes 2^18), so"
                        + " that a file cannot cost minutes to open; re-encrypt the key with standard parameters");
            }
        }
    }
}
