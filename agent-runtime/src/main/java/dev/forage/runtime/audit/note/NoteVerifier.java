package dev.forage.runtime.audit.note;

import dev.forage.runtime.audit.AuditFormatException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 signed-note verifier key, written {@code <name>+<hex key id>+<base64(0x01 ||
 * 32-byte public key)>} as golang.org/x/mod/sumdb/note writes it, e.g.
 * {@code PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW}. Public data:
 * give it to whoever must verify the log.
 */
public final class NoteVerifier {

    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410). */
    private static final byte[] SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private final String name;
    private final int keyId;
    private final byte[] publicKey;
    private final PublicKey jdkKey;

    private NoteVerifier(String name, byte[] publicKey) {
        this.name = name;
        this.publicKey = publicKey.clone();
        this.keyId = KeyNames.keyId(name, publicKey);
        try {
            byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 32);
            System.arraycopy(publicKey, 0, spki, SPKI_PREFIX.length, 32);
            this.jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new AuditFormatException("Ed25519 public key for '" + name + "' is not a valid key: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a verifier key string.
     *
     * @throws AuditFormatException if it is malformed, names another algorithm than Ed25519, or
     *     its key id does not match its name and key
     */
    public static NoteVerifier parse(String vkey) {
        String[] parts = vkey.split("\\+", 3); // the base64 key may itself hold '+'
        if (parts.length != 3) {
            throw new AuditFormatException("verifier key must be <name>+<hex id>+<base64 key>, got '"
                    + vkey + "'; copy the whole key string");
        }
        String name = parts[0];
        if (!KeyNames.isValidName(name)) {
            throw new AuditFormatException("verifier key name '" + name + "' is empty or holds a space or '+'");
        }
        int id = KeyNames.parseHexId(parts[1], "verifier");
        byte[] key = KeyNames.strictBase64(parts[2], "verifier key");
        if (key.length != 33 || key[0] != KeyNames.ALG_ED25519) {
            throw new AuditFormatException("verifier key for '" + name + "' is not an Ed25519 key (algorithm byte 0x01"
                    + " and 32 key bytes expected, got " + key.length + " bytes)");
        }
        NoteVerifier verifier = new NoteVerifier(name, Arrays.copyOfRange(key, 1, 33));
        if (verifier.keyId != id) {
            throw new AuditFormatException("verifier key id " + parts[1] + " does not match name '" + name
                    + "' and its key (expected " + KeyNames.hexId(verifier.keyId) + ")");
        }
        return verifier;
    }

    /** A verifier for a raw 32-byte Ed25519 public key. */
    public static NoteVerifier of(String name, byte[] publicKey) {
        if (!KeyNames.isValidName(name)) {
            throw new AuditFormatException("key name '" + name + "' is empty or holds a space or '+'");
        }
        if (publicKey.length != 32) {
            throw new AuditFormatException("Ed25519 public key must be 32 bytes, got " + publicKey.length);
        }
        return new NoteVerifier(name, publicKey);
    }

    /** The key name. */
    public String name() {
        return name;
    }

    /** The 32-bit key id. */
    public int keyId() {
        return keyId;
    }

    /** The raw 32-byte public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initVerify(jdkKey);
            ed.update(message);
            return ed.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The verifier key string, {@code <name>+<hex id>+<base64(0x01 || key)>}. */
    public String encode() {
        byte[] key = new byte[33];
        key[0] = KeyNames.ALG_ED25519;
        System.arraycopy(publicKey, 0, key, 1, 32);
        return name + "+" + KeyNames.hexId(keyId) + "+" + Base64.getEncoder().encodeToString(key);
    }

    @Override
    public String toString() {
        return encode();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteVerifier other && name.equals(other.name) && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(publicKey);
    }
}
