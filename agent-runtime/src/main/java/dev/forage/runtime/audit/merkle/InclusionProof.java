package dev.forage.runtime.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 inclusion proof: the audit path of one leaf in a tree of a given size.
 *
 * @param leafIndex the leaf's zero-based index
 * @param treeSize the size of the tree the proof is for
 * @param hashes the audit path, from the leaf upwards (32-byte hashes)
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> hashes) {

    /** Validates and copies. */
    public InclusionProof {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf index " + leafIndex + " is outside a tree of size " + treeSize);
        }
        List<byte[]> copy = new ArrayList<>(hashes.size());
        hashes.forEach(h -> copy.add(h.clone()));
        hashes = List.copyOf(copy);
    }

    /** Whether the proof shows {@code leafHash} at {@link #leafIndex} under {@code rootHash}. */
    public boolean verify(byte[] leafHash, byte[] rootHash) {
        return MerkleProofs.verifyInclusion(leafIndex, treeSize, leafHash, hashes, rootHash);
    }
}
