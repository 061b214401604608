package dev.forage.tools.bench;

import dev.forage.tools.compute.procure.sim.SimulationReport;
import dev.forage.tools.inference.local.bench.LocalBenchmarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tools module's measurement entry point (not a test), run by the {@code bench} Maven
 * profile. First argument: {@code throughput} or {@code cosine} (the local models),
 * {@code simulation} (the market simulation; further arguments {@code --seed N --jobs N}), or
 * {@code all}.
 */
public final class ToolsBenchmarks {

    private ToolsBenchmarks() {}

    /** Runs what {@code args} names and rewrites its report file. */
    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "all" : args[0];
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(Math.min(1, args.length), args.length));
        switch (what) {
            case "throughput", "cosine" -> LocalBenchmarks.main(new String[] {what});
            case "simulation" -> simulation(rest);
            case "all" -> {
                LocalBenchmarks.main(new String[] {"all"});
                simulation(rest);
            }
            default -> throw new IllegalArgumentException("unknown benchmark '" + what
                    + "': use throughput, cosine, simulation or all");
        }
    }

    private static void simulation(List<String> args) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.add("--out");
        all.add(Path.of(System.getProperty("forage.root", "..")).resolve("tools/SIMULATION.md").toAbsolutePath().normalize()
                .toString());
        SimulationReport.main(all.toArray(String[]::new));
    }
}
