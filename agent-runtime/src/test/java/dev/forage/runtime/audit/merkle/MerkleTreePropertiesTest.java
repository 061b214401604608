package dev.forage.runtime.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties of the fast tree: it agrees with the RFC definitions and its proofs resist every bit flip. */
class MerkleTreePropertiesTest {

    @Property(tries = 60)
    void fastTreeAgreesWithTheRfcDefinitions(@ForAll @IntRange(min = 1, max = 300) int size, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> leaves = MerkleTreeTest.randomLeaves(size, random);
        MerkleTree tree = new MerkleTree();
        leaves.forEach(tree::append);
        int m = random.nextInt(size);
        int size1 = random.nextInt(size + 1);

        assertThat(tree.rootHash()).isEqualTo(ReferenceTree.mth(leaves));
        assertThat(tree.inclusionProof(m, size)).containsExactlyElementsOf(ReferenceTree.path(m, leaves));
        assertThat(tree.consistencyProof(size1, size)).containsExactlyElementsOf(ReferenceTree.proof(size1, leaves));
    }

    @Property(tries = 25)
    void randomTreesUpTo100kEveryProbedProofVerifiesAndEveryBitFlipFails(
            @ForAll @IntRange(min = 1, max = 100_000) int size, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        MerkleTree tree = new MerkleTree();
        MerkleTreeTest.randomLeaves(size, random).forEach(tree::append);
        for (int probe = 0; probe < 8; probe++) {
            long treeSize = 1 + random.nextLong(size);
            byte[] root = tree.rootHash(treeSize);
            MerkleTreeTest.assertInclusionVerifiesAndResistsEveryBitFlip(tree, random.nextLong(treeSize), treeSize, root);
            MerkleTreeTest.assertConsistencyVerifiesAndResistsEveryBitFlip(tree, random.nextLong(treeSize + 1), treeSize);
        }
    }
}
