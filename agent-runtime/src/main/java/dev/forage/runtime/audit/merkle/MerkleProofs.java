package dev.forage.runtime.audit.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Verification of inclusion and consistency proofs, following the algorithms of RFC 9162
 * sections 2.1.3.2 and 2.1.4.2 step by step. Every method returns false (never throws) on a
 * proof that does not verify, including malformed input: wrong hash lengths, indices out of
 * range, proofs that are too short or too long.
 */
public final class MerkleProofs {

    private MerkleProofs() {}

    /**
     * Verifies that {@code leafHash} is the leaf at {@code leafIndex} of the tree of size
     * {@code treeSize} whose root is {@code rootHash} (RFC 9162 section 2.1.3.2).
     */
    public static boolean verifyInclusion(
            long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] rootHash) {
        if (leafIndex < 0 || leafIndex >= treeSize || !isHash(leafHash) || !isHash(rootHash) || !allHashes(proof)) {
            return false;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = Rfc6962.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = Rfc6962.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, rootHash);
    }

    /**
     * Verifies that the tree of size {@code size2} with root {@code root2} extends the tree of
     * size {@code size1} with root {@code root1} (RFC 9162 section 2.1.4.2). The cases the RFC's
     * algorithm leaves out are settled as RFC 9162 section 2.1.4.1 defines proofs: equal sizes
     * need an empty proof and equal roots; an empty first tree is consistent with every tree
     * and needs an empty proof; a first tree larger than the second never verifies.
     */
    public static boolean verifyConsistency(
            long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        if (size1 < 0 || size2 < size1 || !isHash(root1) || !isHash(root2) || !allHashes(proof)) {
            return false;
        }
        if (size1 == size2) {
            return proof.isEmpty() && MessageDigest.isEqual(root1, root2);
        }
        if (size1 == 0) {
            return proof.isEmpty();
        }
        // 1. An empty path fails.
        if (proof.isEmpty()) {
            return false;
        }
        // 2. If first is an exact power of 2, prepend first_hash.
        List<byte[]> path = proof;
        if (Long.bitCount(size1) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(root1);
            path.addAll(proof);
        }
        // 3.
        long fn = size1 - 1;
        long sn = size2 - 1;
        // 4.
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        // 5.
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        // 6.
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Rfc6962.nodeHash(c, fr);
                sr = Rfc6962.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = Rfc6962.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        // 7.
        return MessageDigest.isEqual(fr, root1) && MessageDigest.isEqual(sr, root2) && sn == 0;
    }

    private static boolean isHash(byte[] hash) {
        return hash != null && hash.length == Rfc6962.HASH_SIZE;
    }

    private static boolean allHashes(List<byte[]> proof) {
        if (proof == null || proof.size() > 64) {
            return false;
        }
        for (byte[] hash : proof) {
            if (!isHash(hash)) {
                return false;
            }
        }
        return true;
    }
}
