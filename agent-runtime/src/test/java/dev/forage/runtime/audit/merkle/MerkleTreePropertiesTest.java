package dev.forage.runtime.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.runtime.testing.Cases;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties of the fast tree: it agrees with the RFC definitions and its proofs resist every bit flip. */
class MerkleTreePropertiesTest {

    /**
     * A tree size from 1 to {@code max}: 1, 2 or {@code max} one time in ten, else log-uniform
     * (each order of magnitude as likely), so small trees with their odd shapes come up often and
     * the large ones stay affordable.
     */
    private static int size(RandomGenerator random, int max) {
        if (random.nextInt(10) == 0) {
            int[] edges = {1, 2, max};
            return edges[random.nextInt(edges.length)];
        }
        return (int) Math.max(1, Math.min(max, Math.round(Math.pow(max, random.nextDouble()))));
    }

    static LongStream fastTreeAgreesWithTheRfcDefinitions() {
        return Cases.seeds(60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void fastTreeAgreesWithTheRfcDefinitions(long seed) {
        RandomGenerator draw = Cases.random(seed);
        int size = size(draw, 300);
        SplittableRandom random = new SplittableRandom(draw.nextLong());
        List<byte[]> leaves = MerkleTreeTest.randomLeaves(size, random);
        int m = random.nextInt(size);
        int size1 = random.nextInt(size + 1);
        Cases.check(seed, "tree of " + size + " leaves, inclusion of " + m + ", consistency from " + size1, () -> {
            MerkleTree tree = new MerkleTree();
            leaves.forEach(tree::append);

            assertThat(tree.rootHash()).isEqualTo(ReferenceTree.mth(leaves));
            assertThat(tree.inclusionProof(m, size)).containsExactlyElementsOf(ReferenceTree.path(m, leaves));
            assertThat(tree.consistencyProof(size1, size)).containsExactlyElementsOf(ReferenceTree.proof(size1, leaves));
        });
    }

    static LongStream randomTreesUpTo100kEveryProbedProofVerifiesAndEveryBitFlipFails() {
        return Cases.seeds(25);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void randomTreesUpTo100kEveryProbedProofVerifiesAndEveryBitFlipFails(long seed) {
        RandomGenerator draw = Cases.random(seed);
        int size = size(draw, 100_000);
        SplittableRandom random = new SplittableRandom(draw.nextLong());
        StringBuilder probes = new StringBuilder();
        Cases.check(seed, () -> "tree of " + size + " leaves, probes " + probes, () -> {
            MerkleTree tree = new MerkleTree();
            MerkleTreeTest.randomLeaves(size, random).forEach(tree::append);
            for (int probe = 0; probe < 8; probe++) {
                long treeSize = 1 + random.nextLong(size);
                long leaf = random.nextLong(treeSize);
                long from = random.nextLong(treeSize + 1);
                probes.append("[size ").append(treeSize).append(": inclusion of ").append(leaf)
                        .append(", consistency from ").append(from).append("] ");
                byte[] root = tree.rootHash(treeSize);
                MerkleTreeTest.assertInclusionVerifiesAndResistsEveryBitFlip(tree, leaf, treeSize, root);
                MerkleTreeTest.assertConsistencyVerifiesAndResistsEveryBitFlip(tree, from, treeSize);
            }
        });
    }
}
