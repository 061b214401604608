package dev.forage.runtime.audit.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only RFC 6962 Merkle tree that keeps the hash of every complete (perfect, aligned)
 * subtree: level 0 holds the leaf hashes, level {@code l} the roots of the subtrees of
 * {@code 2^l} leaves. Any tree head, inclusion proof or consistency proof then needs O(log n)
 * lookups plus at most O(log n) hashes for the one incomplete subtree on the right edge,
 * instead of rehashing the leaves. Memory: about 64 bytes per leaf.
 *
 * <p>One thread appends; any number of threads may read concurrently. A reader sees a prefix
 * of the appends: everything up to the {@link #size()} it read.
 */
public final class MerkleTree {

    private static final int CHUNK_BITS = 15; // 32,768 hashes (1 MiB) per chunk
    private static final int CHUNK_HASHES = 1 << CHUNK_BITS;
    private static final int HASH = Rfc6962.HASH_SIZE;

    private final Level[] levels = new Level[64];
    private volatile long size;

    /** An empty tree. */
    public MerkleTree() {
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new Level();
        }
    }

    /** Number of leaves. */
    public long size() {
        return size;
    }

    /**
     * Appends a leaf hash (already {@link Rfc6962#leafHash hashed}) and the complete subtrees it
     * closes. Callers must not append from more than one thread at a time.
     *
     * @throws IllegalArgumentException if the hash is not 32 bytes
     */
    public void append(byte[] leafHash) {
        if (leafHash.length != HASH) {
            throw new IllegalArgumentException("leaf hash must be " + HASH + " bytes, got " + leafHash.length);
        }
        long index = size;
        levels[0].put(index, leafHash);
        byte[] node = leafHash;
        int level = 0;
        while ((index & 1) == 1) {
            node = Rfc6962.nodeHash(levels[level].get(index - 1), node);
            index >>>= 1;
            level++;
            levels[level].put(index, node);
        }
        size = size + 1; // volatile write publishes the hashes stored above
    }

    /** The leaf hash at {@code index}. */
    public byte[] leafHash(long index) {
        checkRange(index, 0, size - 1, "leaf index");
        return levels[0].get(index);
    }

    /** The root hash of the whole tree as it is now. */
    public byte[] rootHash() {
        return rootHash(size);
    }

    /** The root hash of the tree made of the first {@code treeSize} leaves (RFC 6962 MTH). */
    public byte[] rootHash(long treeSize) {
        checkRange(treeSize, 0, size, "tree size");
        return treeSize == 0 ? Rfc6962.emptyRoot() : subtreeHash(0, treeSize);
    }

    /**
     * The inclusion proof of leaf {@code leafIndex} in the tree of the first {@code treeSize}
     * leaves: RFC 9162 section 2.1.3.1 PATH(m, D[n]), from the leaf upwards.
     */
    public List<byte[]> inclusionProof(long leafIndex, long treeSize) {
        checkRange(treeSize, 1, size, "tree size");
        checkRange(leafIndex, 0, treeSize - 1, "leaf index");
        List<byte[]> proof = new ArrayList<>(64 - Long.numberOfLeadingZeros(treeSize));
        path(leafIndex, 0, treeSize, proof);
        return proof;
    }

    /**
     * The consistency proof between the trees of the first {@code size1} and {@code size2}
     * leaves: RFC 9162 section 2.1.4.1 PROOF(m, D[n]); empty when {@code size1} is 0 or equal
     * to {@code size2}.
     */
    public List<byte[]> consistencyProof(long size1, long size2) {
        checkRange(size2, 0, size, "second tree size");
        checkRange(size1, 0, size2, "first tree size");
        List<byte[]> proof = new ArrayList<>(2 * (64 - Long.numberOfLeadingZeros(size2)));
        if (size1 > 0 && size1 < size2) {
            subproof(size1, 0, size2, true, proof);
        }
        return proof;
    }

    private void path(long m, long start, long n, List<byte[]> out) {
        if (n == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(m, start, k, out);
            out.add(subtreeHash(start + k, n - k));
        } else {
            path(m - k, start + k, n - k, out);
            out.add(subtreeHash(start, k));
        }
    }

    private void subproof(long m, long start, long n, boolean complete, List<byte[]> out) {
        if (m == n) {
            if (!complete) {
                out.add(subtreeHash(start, n));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, start, k, complete, out);
            out.add(subtreeHash(start + k, n - k));
        } else {
            subproof(m - k, start + k, n - k, false, out);
            out.add(subtreeHash(start, k));
        }
    }

    /** MTH(D[start:start+count]); in RFC recursions {@code start} is aligned to the split. */
    private byte[] subtreeHash(long start, long count) {
        if (Long.bitCount(count) == 1 && (start & (count - 1)) == 0) {
            int level = Long.numberOfTrailingZeros(count);
            return levels[level].get(start >>> level);
        }
        long k = largestPowerOfTwoBelow(count);
        return Rfc6962.nodeHash(subtreeHash(start, k), subtreeHash(start + k, count - k));
    }

    /** The largest power of two strictly smaller than {@code n} (n >= 2), RFC 9162's k. */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static void checkRange(long value, long min, long max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    what + " " + value + " is outside [" + min + ", " + max + "]; the tree has "
                            + (max < min ? "no such entries" : "that range"));
        }
    }

    /** The hashes of one level, in chunks so that growth never copies hash bytes. */
    private static final class Level {
        private volatile byte[][] chunks = new byte[0][];

        void put(long index, byte[] hash) {
            int chunk = (int) (index >>> CHUNK_BITS);
            byte[][] current = chunks;
            if (chunk >= current.length) {
                current = Arrays.copyOf(current, Math.max(4, current.length * 2));
            }
            if (current[chunk] == null) {
                // small trees stay small: a level's first chunk grows from 16 hashes
                current[chunk] = new byte[(chunk == 0 ? 16 : CHUNK_HASHES) * HASH];
            }
            int offset = (int) (index & (CHUNK_HASHES - 1)) * HASH;
            if (offset + HASH > current[chunk].length) {
                int capacity = current[chunk].length / HASH;
                while (capacity * HASH < offset + HASH) {
                    capacity *= 2;
                }
                current[chunk] = Arrays.copyOf(current[chunk], Math.min(capacity, CHUNK_HASHES) * HASH);
            }
            System.arraycopy(hash, 0, current[chunk], offset, HASH);
            chunks = current;
        }

        byte[] get(long index) {
            byte[] chunk = chunks[(int) (index >>> CHUNK_BITS)];
            int offset = (int) (index & (CHUNK_HASHES - 1)) * HASH;
            return Arrays.copyOfRange(chunk, offset, offset + HASH);
        }
    }
}
