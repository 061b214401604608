package dev.forage.runtime.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();

    /** The leaves of the certificate-transparency / transparency-dev merkle test vectors. */
    private static final List<byte[]> LEAVES = List.of(
            HEX.parseHex(""), HEX.parseHex("00"), HEX.parseHex("10"), HEX.parseHex("2021"), HEX.parseHex("3031"),
            HEX.parseHex("40414243"), HEX.parseHex("5051525354555657"),
            HEX.parseHex("606162636465666768696a6b6c6d6e6f"));

    /** Their roots after 1..8 leaves (certificate-transparency merkle_tree_test.cc, transparency-dev/merkle). */
    private static final List<String> ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    private static MerkleTree referenceTree() {
        MerkleTree tree = new MerkleTree();
        LEAVES.forEach(leaf -> tree.append(Rfc6962.leafHash(leaf)));
        return tree;
    }

    @Test
    void emptyTreeHashIsSha256OfNothing() {
        assertThat(HEX.formatHex(new MerkleTree().rootHash()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void rootsMatchTheReferenceVectorsAtEverySize() {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < LEAVES.size(); i++) {
            tree.append(Rfc6962.leafHash(LEAVES.get(i)));

            assertThat(HEX.formatHex(tree.rootHash())).as("root of %d leaves", i + 1).isEqualTo(ROOTS.get(i));
        }
        for (int size = 1; size <= 8; size++) {
            assertThat(HEX.formatHex(tree.rootHash(size))).isEqualTo(ROOTS.get(size - 1));
        }
    }

    @Test
    void inclusionProofsMatchTheReferenceVectors() {
        MerkleTree tree = referenceTree();

        // transparency-dev/merkle proof/verify_test.go inclusionProofs (leaf numbers there are 1-based)
        assertThat(hex(tree.inclusionProof(0, 1))).isEmpty();
        assertThat(hex(tree.inclusionProof(0, 8))).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(hex(tree.inclusionProof(5, 8))).containsExactly(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(hex(tree.inclusionProof(2, 3))).containsExactly(
                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
        assertThat(hex(tree.inclusionProof(1, 5))).containsExactly(
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    }

    @Test
    void consistencyProofsMatchTheReferenceVectors() {
        MerkleTree tree = referenceTree();

        assertThat(hex(tree.consistencyProof(1, 1))).isEmpty();
        assertThat(hex(tree.consistencyProof(1, 8))).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(hex(tree.consistencyProof(6, 8))).containsExactly(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(hex(tree.consistencyProof(2, 5))).containsExactly(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
        assertThat(hex(tree.consistencyProof(6, 7))).containsExactly(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    }

    @Test
    void referenceProofsVerifyAndEverySingleBitFlipFails() {
        MerkleTree tree = referenceTree();
        for (int size = 1; size <= 8; size++) {
            byte[] root = tree.rootHash(size);
            for (int leaf = 0; leaf < size; leaf++) {
                assertInclusionVerifiesAndResistsEveryBitFlip(tree, leaf, size, root);
            }
            for (int size1 = 0; size1 <= size; size1++) {
                assertConsistencyVerifiesAndResistsEveryBitFlip(tree, size1, size);
            }
        }
    }

    @Test
    void verifierEdgeCasesFollowRfc9162() {
        byte[] someHash = HEX.parseHex("abacaba000000000000000000000000000000000000000000060061e00123456");
        byte[] empty = Rfc6962.emptyRoot();

        assertThat(MerkleProofs.verifyInclusion(0, 0, someHash, List.of(), empty)).isFalse();
        assertThat(MerkleProofs.verifyInclusion(1, 1, someHash, List.of(), someHash)).isFalse();
        assertThat(MerkleProofs.verifyInclusion(0, 1, someHash, List.of(), someHash)).isTrue();
        assertThat(MerkleProofs.verifyInclusion(0, 1, someHash, List.of(), new byte[0])).isFalse();
        assertThat(MerkleProofs.verifyConsistency(0, 0, empty, empty, List.of())).isTrue();
        assertThat(MerkleProofs.verifyConsistency(0, 1, empty, someHash, List.of())).isTrue();
        assertThat(MerkleProofs.verifyConsistency(1, 1, someHash, empty, List.of())).isFalse();
        assertThat(MerkleProofs.verifyConsistency(2, 1, someHash, someHash, List.of())).isFalse();
        assertThat(MerkleProofs.verifyConsistency(1, 2, someHash, someHash, List.of())).isFalse();
        assertThat(MerkleProofs.verifyConsistency(1, 1, empty, empty, List.of(empty))).isFalse();
    }

    @Test
    void rejectsOutOfRangeRequests() {
        MerkleTree tree = referenceTree();

        assertThatThrownBy(() -> tree.inclusionProof(8, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaf index 8");
        assertThatThrownBy(() -> tree.consistencyProof(3, 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("second tree size 9");
        assertThatThrownBy(() -> tree.append(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyInclusionProofOfA100kTreeVerifies() {
        SplittableRandom random = new SplittableRandom(100_000);
        MerkleTree tree = new MerkleTree();
        randomLeaves(100_000, random).forEach(tree::append);
        byte[] root = tree.rootHash();
        int verified = 0;
        for (long leaf = 0; leaf < tree.size(); leaf++) {
            if (MerkleProofs.verifyInclusion(leaf, tree.size(), tree.leafHash(leaf), tree.inclusionProof(leaf, tree.size()), root)) {
                verified++;
            }
        }
        int consistent = 0;
        for (long size1 = 0; size1 <= tree.size(); size1 += 1 + random.nextInt(50)) {
            if (MerkleProofs.verifyConsistency(size1, tree.size(), tree.rootHash(size1), root,
                    tree.consistencyProof(size1, tree.size()))) {
                consistent++;
            } else {
                consistent = -1_000_000;
            }
        }

        assertThat(verified).isEqualTo(100_000);
        assertThat(consistent).isPositive();
    }

    static void assertInclusionVerifiesAndResistsEveryBitFlip(MerkleTree tree, long leaf, long size, byte[] root) {
        byte[] leafHash = tree.leafHash(leaf);
        List<byte[]> proof = tree.inclusionProof(leaf, size);
        assertThat(MerkleProofs.verifyInclusion(leaf, size, leafHash, proof, root))
                .as("inclusion of %d in %d", leaf, size).isTrue();
        for (int bit = 0; bit < 256; bit++) {
            assertThat(MerkleProofs.verifyInclusion(leaf, size, flip(leafHash, bit), proof, root)).isFalse();
            assertThat(MerkleProofs.verifyInclusion(leaf, size, leafHash, proof, flip(root, bit))).isFalse();
            for (int i = 0; i < proof.size(); i++) {
                List<byte[]> bad = new ArrayList<>(proof);
                bad.set(i, flip(proof.get(i), bit));
                assertThat(MerkleProofs.verifyInclusion(leaf, size, leafHash, bad, root))
                        .as("inclusion of %d in %d, proof[%d] bit %d flipped", leaf, size, i, bit).isFalse();
            }
        }
        for (int bit = 0; bit < 63; bit++) {
            long otherLeaf = leaf ^ (1L << bit);
            long otherSize = size ^ (1L << bit);
            if (otherLeaf >= 0 && otherLeaf != leaf) {
                assertThat(MerkleProofs.verifyInclusion(otherLeaf, size, leafHash, proof, root)).isFalse();
            }
            if (otherSize > 0 && !sameShape(leaf, size, otherSize)) {
                assertThat(MerkleProofs.verifyInclusion(leaf, otherSize, leafHash, proof, root))
                        .as("leaf %d claimed in size %d instead of %d", leaf, otherSize, size).isFalse();
            }
        }
    }

    /**
     * Whether the RFC 9162 verifier walks an audit path of leaf {@code m} the same way for both
     * sizes (same left/right order, both ending at the root): then one proof is valid for both
     * sizes and claiming the other size is no forgery (the checkpoint binds the size).
     */
    private static boolean sameShape(long m, long size, long otherSize) {
        int length = 64 - Long.numberOfLeadingZeros(size);
        String a = directions(m, size, length);
        return a != null && a.equals(directions(m, otherSize, length));
    }

    private static String directions(long m, long n, int maxLength) {
        if (m >= n) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        long fn = m;
        long sn = n - 1;
        while (sn != 0 && out.length() <= maxLength) {
            if ((fn & 1) == 1 || fn == sn) {
                out.append('L');
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                out.append('R');
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return out.toString();
    }

    static void assertConsistencyVerifiesAndResistsEveryBitFlip(MerkleTree tree, long size1, long size2) {
        byte[] root1 = tree.rootHash(size1);
        byte[] root2 = tree.rootHash(size2);
        List<byte[]> proof = tree.consistencyProof(size1, size2);
        assertThat(MerkleProofs.verifyConsistency(size1, size2, root1, root2, proof))
                .as("consistency %d -> %d", size1, size2).isTrue();
        if (size1 == 0) {
            return; // the empty tree is consistent with every tree, whatever its claimed root
        }
        for (int bit = 0; bit < 256; bit++) {
            assertThat(MerkleProofs.verifyConsistency(size1, size2, flip(root1, bit), root2, proof)).isFalse();
            assertThat(MerkleProofs.verifyConsistency(size1, size2, root1, flip(root2, bit), proof)).isFalse();
            for (int i = 0; i < proof.size(); i++) {
                List<byte[]> bad = new ArrayList<>(proof);
                bad.set(i, flip(proof.get(i), bit));
                assertThat(MerkleProofs.verifyConsistency(size1, size2, root1, root2, bad))
                        .as("consistency %d -> %d, proof[%d] bit %d flipped", size1, size2, i, bit).isFalse();
            }
        }
    }

    private static byte[] flip(byte[] hash, int bit) {
        byte[] copy = hash.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    static List<byte[]> randomLeaves(int n, SplittableRandom random) {
        List<byte[]> leaves = new ArrayList<>(n);
        byte[] data = new byte[16];
        for (int i = 0; i < n; i++) {
            random.nextBytes(data);
            leaves.add(Rfc6962.leafHash(data));
        }
        return leaves;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }
}
