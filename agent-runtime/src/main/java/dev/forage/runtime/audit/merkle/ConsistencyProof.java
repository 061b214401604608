package dev.forage.runtime.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 consistency proof: that the tree of {@code size2} leaves extends the tree of
 * {@code size1} leaves, with nothing changed.
 *
 * @param size1 the earlier tree size
 * @param size2 the later tree size, at least {@code size1}
 * @param hashes the proof nodes (32-byte hashes)
 */
public record ConsistencyProof(long size1, long size2, List<byte[]> hashes) {

    /** Validates and copies. */
    public ConsistencyProof {
        if (size1 < 0 || size2 < size1) {
            throw new IllegalArgumentException("consistency proof needs 0 <= size1 <= size2, got " + size1 + ", " + size2);
        }
        List<byte[]> copy = new ArrayList<>(hashes.size());
        hashes.forEach(h -> copy.add(h.clone()));
        hashes = List.copyOf(copy);
    }

    /** Whether the proof shows the tree with root {@code root2} extends the one with {@code root1}. */
    public boolean verify(byte[] root1, byte[] root2) {
        return MerkleProofs.verifyConsistency(size1, size2, root1, root2, hashes);
    }
}
