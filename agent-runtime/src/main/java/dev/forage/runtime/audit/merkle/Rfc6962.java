package dev.forage.runtime.audit.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * RFC 6962 section 2.1 hashing with SHA-256: {@code MTH({}) = SHA-256()}, a leaf is
 * {@code SHA-256(0x00 || data)} and an interior node {@code SHA-256(0x01 || left || right)}.
 * The two prefixes keep a leaf from ever being taken for a node (second-preimage resistance).
 */
public final class Rfc6962 {

    /** Size in bytes of every hash. */
    public static final int HASH_SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Rfc6962::newDigest);
    private static final byte[] EMPTY_ROOT = newDigest().digest();

    private Rfc6962() {}

    /** The root of the empty tree, {@code SHA-256("")} = e3b0c442...b855. */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    /** The hash of a leaf holding {@code data}. */
    public static byte[] leafHash(byte[] data) {
        MessageDigest digest = SHA256.get();
        digest.update(LEAF_PREFIX);
        return digest.digest(data);
    }

    /** The hash of an interior node over two child hashes. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = SHA256.get();
        digest.update(NODE_PREFIX);
        digest.update(left);
        return digest.digest(right);
    }

    /** Plain SHA-256, for key ids and the like. */
    public static byte[] sha256(byte[] data) {
        return SHA256.get().digest(data);
    }

    /** Lower-case hex of a hash, for messages. */
    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256, which every Java SE JDK must provide", e);
        }
    }
}
