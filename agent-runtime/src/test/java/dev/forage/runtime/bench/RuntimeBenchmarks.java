package dev.forage.runtime.bench;

import dev.forage.runtime.audit.bench.AuditBenchmarks;
import dev.forage.runtime.pipeline.bench.ChainBenchmark;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The runtime's benchmark entry point (not a test), run through the {@code bench} Maven
 * profile (see BENCHMARKS.md). Arguments: {@code all} (default), {@code chain} (the governed
 * chain's overhead per action), or one of the audit log's: {@code storage}, {@code append},
 * {@code proofs}.
 */
public final class RuntimeBenchmarks {

    private RuntimeBenchmarks() {}

    /** Runs the selected benchmarks. */
    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "all" : args[0];
        if (!what.equals("chain")) {
            AuditBenchmarks.main(new String[] {what});
        }
        if (what.equals("all") || what.equals("chain")) {
            new Runner(new OptionsBuilder().include(ChainBenchmark.class.getSimpleName()).build()).run();
        }
    }
}
