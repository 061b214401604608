package dev.forage.runtime.audit.note;

import dev.forage.runtime.audit.AuditFormatException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 signed-note signer (JDK Ed25519, RFC 8032). It signs and tells its public
 * {@link #verifier()}; it never hands out the private key, and {@link #toString()} does not
 * print it. The private key string of golang.org/x/mod/sumdb/note,
 * {@code PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || 32-byte seed)>}, is read by
 * {@link #parse} and written only to a key file by {@link SigningKeyFile}.
 */
public final class NoteSigner {

    private static final String PREFIX = "PRIVATE+KEY+";

    private final NoteVerifier verifier;
    private final PrivateKey privateKey;
    private final byte[] seed;

    private NoteSigner(String name, byte[] seed) {
        this.seed = seed.clone();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            this.verifier = NoteVerifier.of(name, Arrays.copyOfRange(spki, spki.length - 32, spki.length));
            this.privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        } catch (GeneralSecurityException e) {
            throw new AuditFormatException("cannot build an Ed25519 key for '" + name + "': " + e.getMessage(), e);
        }
    }

    /** A new signer with a fresh key from {@code random}. */
    public static NoteSigner generate(String name, SecureRandom random) {
        if (!KeyNames.isValidName(name)) {
            throw new AuditFormatException("key name '" + name + "' is empty or holds a space or '+'; pick"
                    + " a schema-less URL such as forage.dev/agent-log");
        }
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return new NoteSigner(name, seed);
    }

    /**
     * Reads a private key string. The error messages never repeat the key material.
     *
     * @throws AuditFormatException if it is malformed or its key id does not match
     */
    public static NoteSigner parse(String skey) {
        if (!skey.startsWith(PREFIX)) {
            throw new AuditFormatException("signer key must start with PRIVATE+KEY+");
        }
        String[] parts = skey.substring(PREFIX.length()).split("\\+", 3); // the base64 key may hold '+'
        if (parts.length != 3) {
            throw new AuditFormatException("signer key must be PRIVATE+KEY+<name>+<hex id>+<base64 key>");
        }
        String name = parts[0];
        if (!KeyNames.isValidName(name)) {
            throw new AuditFormatException("signer key name is empty or holds a space or '+'");
        }
        if (parts[1].length() != 8 || !parts[1].chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new AuditFormatException("signer key id of '" + name + "' is not 8 hex digits");
        }
        int id = Integer.parseUnsignedInt(parts[1], 16);
        byte[] key;
        try {
            key = KeyNames.strictBase64(parts[2], "signer key");
        } catch (AuditFormatException e) {
            throw new AuditFormatException("signer key for '" + name + "' is not canonical base64");
        }
        if (key.length != 33 || key[0] != KeyNames.ALG_ED25519) {
            throw new AuditFormatException("signer key for '" + name + "' is not an Ed25519 key");
        }
        NoteSigner signer = new NoteSigner(name, Arrays.copyOfRange(key, 1, 33));
        Arrays.fill(key, (byte) 0);
        if (signer.keyId() != id) {
            throw new AuditFormatException("signer key id does not match name '" + name + "' and its key");
        }
        return signer;
    }

    /** The key name. */
    public String name() {
        return verifier.name();
    }

    /** The 32-bit key id. */
    public int keyId() {
        return verifier.keyId();
    }

    /** The matching public verifier. */
    public NoteVerifier verifier() {
        return verifier;
    }

    /** The Ed25519 signature (64 bytes) of {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(privateKey);
            ed.update(message);
            return ed.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed in the JDK provider: " + e.getMessage(), e);
        }
    }

    /** The private key string; package-private so that only the key file writes it. */
    String encodePrivate() {
        byte[] key = new byte[33];
        key[0] = KeyNames.ALG_ED25519;
        System.arraycopy(seed, 0, key, 1, 32);
        String encoded = PREFIX + name() + "+" + KeyNames.hexId(keyId()) + "+" + Base64.getEncoder().encodeToString(key);
        Arrays.fill(key, (byte) 0);
        return encoded;
    }

    @Override
    public String toString() {
        return "NoteSigner[" + verifier.encode() + "]";
    }

    /** Hands the JDK key pair generator a given seed: the JDK has no "public key from seed" call. */
    private static final class FixedSeed extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("Ed25519 generator asked for " + bytes.length + " random bytes, not 32");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
