package dev.forage.runtime.audit.bench;

import dev.forage.runtime.audit.merkle.MerkleTree;
import dev.forage.runtime.audit.merkle.Rfc6962;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Inclusion and consistency proof generation from the audit log's tree at 1,000,000 entries. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ProofBenchmark {

    @Param("1000000")
    public int entries;

    private MerkleTree tree;

    /** Builds the tree from random leaves. */
    @Setup
    public void setUp() {
        tree = new MerkleTree();
        SplittableRandom random = new SplittableRandom(42);
        byte[] data = new byte[64];
        for (int i = 0; i < entries; i++) {
            random.nextBytes(data);
            tree.append(Rfc6962.leafHash(data));
        }
    }

    /** The audit path of a random entry in the full tree. */
    @Benchmark
    public List<byte[]> inclusionProof() {
        return tree.inclusionProof(ThreadLocalRandom.current().nextLong(entries), entries);
    }

    /** The consistency proof from a random earlier size to the full tree. */
    @Benchmark
    public List<byte[]> consistencyProof() {
        return tree.consistencyProof(1 + ThreadLocalRandom.current().nextLong(entries - 1), entries);
    }
}
