package dev.forage.tools.compute.procure.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The simulation's tables and its entry point: {@code MarketSimulation [--seed N] [--jobs N]
 * [--out FILE]} runs the default world and writes the report (Markdown) to FILE, or prints it.
 * Run through Maven: {@code ./mvnw -B -q -pl tools -am -DskipNpm -DskipTests -Pbench verify}.
 */
public final class SimulationReport {

    /** The targets the issue sets: Forage at most this share of the hyperscaler's cost per verified job. */
    static final BigDecimal MAX_SHARE_OF_HYPERSCALER = new BigDecimal("0.45");
    /** ... and at least this share of jobs verified. */
    static final double MIN_VERIFIED = 0.999;

    private SimulationReport() {}

    /** Forage's cost per verified job as a share of the hyperscaler's. */
    static BigDecimal shareOfHyperscaler(MarketSimulation.Totals strategy, MarketSimulation.Totals hyperscaler) {
        return strategy.costPerVerifiedUsd().divide(hyperscaler.costPerVerifiedUsd(), 4, RoundingMode.HALF_EVEN);
    }

    /** The main table: one row per strategy. */
    static String table(List<MarketSimulation.Totals> rows) {
        MarketSimulation.Totals hyper = rows.get(2);
        StringBuilder b = new StringBuilder();
        b.append("| strategy | cost per verified job | vs hyperscaler | jobs verified | attempts per job "
                + "| wrong results accepted | cost per correct result | provider charges | verification | wall-clock hours |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (MarketSimulation.Totals t : rows) {
            b.append(String.format(Locale.ROOT, "| %s | $%s | %s%% | %d / %d (%s%%) | %.3f | %d | $%s | $%s | $%s | %.1f |%n",
                    t.strategy(), t.costPerVerifiedUsd().setScale(4, RoundingMode.HALF_EVEN).toPlainString(),
                    shareOfHyperscaler(t, hyper).movePointRight(2).setScale(1, RoundingMode.HALF_EVEN).toPlainString(),
                    t.verified(), t.jobs(), percent(t.verifiedShare()), (double) t.attempts() / t.jobs(), t.wrongAccepted(),
                    t.costPerCorrectUsd().toPlainString(),
                    t.providerCharges().toDecimalString(), t.verification().toDecimalString(), t.wall().toSeconds() / 3600.0));
        }
        return b.toString();
    }

    /** The three targets, each PASS or MISS with the figures. */
    static List<String> targets(List<MarketSimulation.Totals> rows) {
        MarketSimulation.Totals forage = rows.get(0);
        MarketSimulation.Totals cheapest = rows.get(1);
        MarketSimulation.Totals hyper = rows.get(2);
        BigDecimal share = shareOfHyperscaler(forage, hyper);
        List<String> out = new ArrayList<>();
        out.add((share.compareTo(MAX_SHARE_OF_HYPERSCALER) <= 0 ? "PASS" : "MISS") + ": Forage costs "
                + share.movePointRight(2).setScale(1, RoundingMode.HALF_EVEN) + "% of the hyperscaler per verified job (target <= 45%)");
        out.add((forage.verifiedShare() >= MIN_VERIFIED ? "PASS" : "MISS") + ": Forage verified " + percent(forage.verifiedShare())
                + "% of jobs (target >= 99.9%)");
        out.add((cheapest.costPerVerifiedUsd().compareTo(forage.costPerVerifiedUsd()) > 0 ? "PASS" : "MISS")
                + ": cheapest-first costs $" + cheapest.costPerVerifiedUsd() + " per verified job against Forage's $"
                + forage.costPerVerifiedUsd() + " (target: strictly more)");
        return out;
    }

    /** The drawn providers and how often each strategy used them. */
    static String providers(SimWorld world, MarketSimulation.Totals forage, MarketSimulation.Totals cheapest) {
        StringBuilder b = new StringBuilder();
        b.append("| provider | kind | $/GPU-h | minimum | job failure | availability | median startup | cheats "
                + "| Forage attempts (verified) | cheapest-first attempts (verified) |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SimProvider p : world.providers) {
            String id = p.offer().providerId();
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s%% | %d s | %s | %d (%d) | %d (%d) |%n", id,
                    p.kind() == SimParameters.Kind.DEPIN ? "DePIN" : "datacentre", p.offer().pricePerHour().toDecimalString(),
                    p.offer().minimumCharge().isZero() ? "-" : p.offer().minimumCharge().toDecimalString(),
                    p.perGpuHour() ? String.format(Locale.ROOT, "%.2e/GPU-h", p.jobFailure())
                            : String.format(Locale.ROOT, "%.1f%%/job", 100 * p.jobFailure()),
                    String.format(Locale.ROOT, "%.2f", 100 * p.availability()), p.startupMedian().toSeconds(),
                    p.dishonest() ? String.format(Locale.ROOT, "%.0f%% of jobs", 100 * p.cheat()) : "-",
                    forage.attemptsByProvider().getOrDefault(id, 0), forage.verifiedByProvider().getOrDefault(id, 0),
                    cheapest.attemptsByProvider().getOrDefault(id, 0), cheapest.verifiedByProvider().getOrDefault(id, 0)));
        }
        return b.toString();
    }

    /** One line per variation: each strategy's share of the hyperscaler's cost per verified job, and Forage's verified share. */
    static String sensitivity(List<String> labels, List<List<MarketSimulation.Totals>> runs) {
        StringBuilder b = new StringBuilder();
        b.append("| variation | Forage vs hyperscaler | Forage verified | cheapest-first vs hyperscaler "
                + "| cheapest-first verified | oracle vs hyperscaler | cheapest-first worse than Forage? |\n");
        b.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            List<MarketSimulation.Totals> rows = runs.get(i);
            MarketSimulation.Totals hyper = rows.get(2);
            b.append(String.format(Locale.ROOT, "| %s | %s%% | %s%% | %s%% | %s%% | %s%% | %s |%n", labels.get(i),
                    pct(shareOfHyperscaler(rows.get(0), hyper)), percent(rows.get(0).verifiedShare()),
                    pct(shareOfHyperscaler(rows.get(1), hyper)), percent(rows.get(1).verifiedShare()),
                    pct(shareOfHyperscaler(rows.get(3), hyper)), cheapestWorse(rows) ? "yes" : "no"));
        }
        return b.toString();
    }

    /** Whether cheapest-first costs strictly more per verified job than Forage. */
    static boolean cheapestWorse(List<MarketSimulation.Totals> rows) {
        return rows.get(1).costPerVerifiedUsd().compareTo(rows.get(0).costPerVerifiedUsd()) > 0;
    }

    /** Means over several worlds: each strategy's share of the hyperscaler, and how often each target held. */
    static String acrossWorlds(List<List<MarketSimulation.Totals>> worlds) {
        double forage = 0;
        double cheapest = 0;
        double oracle = 0;
        int worse = 0;
        int underTarget = 0;
        int verified = 0;
        for (List<MarketSimulation.Totals> rows : worlds) {
            MarketSimulation.Totals hyper = rows.get(2);
            forage += shareOfHyperscaler(rows.get(0), hyper).doubleValue();
            cheapest += shareOfHyperscaler(rows.get(1), hyper).doubleValue();
            oracle += shareOfHyperscaler(rows.get(3), hyper).doubleValue();
            worse += cheapestWorse(rows) ? 1 : 0;
            underTarget += shareOfHyperscaler(rows.get(0), hyper).compareTo(MAX_SHARE_OF_HYPERSCALER) <= 0 ? 1 : 0;
            verified += rows.get(0).verifiedShare() >= MIN_VERIFIED ? 1 : 0;
        }
        int n = worlds.size();
        return String.format(Locale.ROOT, "Over %d worlds (this seed and the next %d): Forage costs %.1f%% of the hyperscaler on "
                + "average, cheapest-first %.1f%%, the oracle %.1f%%. Forage met <= 45%% in %d of %d, >= 99.9%% verified in "
                + "%d of %d; cheapest-first cost strictly more than Forage in %d of %d.%n", n, n - 1, 100 * forage / n,
                100 * cheapest / n, 100 * oracle / n, underTarget, n, verified, n, worse, n);
    }

    private static String pct(BigDecimal share) {
        return share.movePointRight(2).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }

    static String percent(double share) {
        return BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** The whole report for {@code seed} and {@code jobs}. */
    static String report(long seed, int jobs, String command) {
        SimParameters p = SimParameters.defaults(seed, jobs);
        long start = System.nanoTime();
        MarketSimulation sim = new MarketSimulation(p);
        List<MarketSimulation.Totals> rows = sim.run();
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<String> labels = new ArrayList<>();
        List<SimParameters> variations = new ArrayList<>();
        for (long s = seed + 1; s <= seed + 9; s++) {
            labels.add("another world: seed " + s);
            variations.add(SimParameters.defaults(s, jobs));
        }
        labels.add("verification p = 0.05 (seed " + seed + ")");
        variations.add(p.withVerificationP(0.05));
        labels.add("verifier at Lambda's $4.29/GPU-h (seed " + seed + ")");
        variations.add(p.withVerifierPrice(new BigDecimal("4.29")));
        labels.add("share cap off (seed " + seed + ")");
        variations.add(p.withProcurement(p.procurement().withShareCap(1.0, p.procurement().shareWindow())));
        labels.add("share cap tolerance 1.25, the first default (seed " + seed + ")");
        variations.add(p.withProcurement(p.procurement().withCapTolerance(1.25)));
        labels.add("cheats price 15% below their draw (seed " + seed + ")");
        variations.add(p.withCheatDiscount(0.15));

        List<List<MarketSimulation.Totals>> runs = variations.stream().map(v -> new MarketSimulation(v).run()).toList();
        List<List<MarketSimulation.Totals>> worlds = new ArrayList<>();
        worlds.add(rows);
        worlds.addAll(runs.subList(0, 9));
        StringBuilder b = new StringBuilder();
        b.append("# Market simulation: procurement against cheapest-first and the hyperscaler\n\n");
        b.append("Generated by `dev.forage.tools.compute.procure.sim.SimulationReport` (test sources); do not edit by hand.\n\n");
        b.append("```\n").append(command).append("\n```\n\n");
        b.append(String.format(Locale.ROOT, "Seed %d, %d jobs per strategy, one after another on a virtual clock (no sleeps). "
                + "Main run took %d ms on %s %s, %d cores, Java %s.%n%n", seed, jobs, millis, System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        b.append("## Result\n\n").append(table(rows)).append('\n');
        for (String t : targets(rows)) {
            b.append("- ").append(t).append('\n');
        }
        b.append("\nCost per verified job = (everything the providers billed + every verification) / jobs that ended verified. "
                + "\"Wrong results accepted\" are faked results that passed the sampled verification (counted as verified: "
                + "the buyer cannot tell them apart). The hyperscaler is trusted and not verified.\n\n");
        List<List<MarketSimulation.Totals>> capOff = new ArrayList<>();
        for (long s = seed; s <= seed + 9; s++) {
            SimParameters w = SimParameters.defaults(s, jobs);
            capOff.add(new MarketSimulation(w.withProcurement(w.procurement().withShareCap(1.0, w.procurement().shareWindow())))
                    .run());
        }
        b.append("## Variations\n\n").append(sensitivity(labels, runs)).append('\n').append(acrossWorlds(worlds))
                .append("\nThe same worlds with Forage's share cap off: ").append(acrossWorlds(capOff)).append('\n');
        b.append("## The providers of seed ").append(seed).append("\n\n").append(providers(sim.world(), rows.get(0), rows.get(1)))
                .append('\n');
        b.append(MODEL);
        return b.toString();
    }

    private static final String MODEL = """
            ## The model and where its numbers come from

            Published figures are from `shared/reference/depin-deai-apis.md` section 7 (and section 6 for
            verification); everything else is an assumption, marked so. All knobs are in `SimParameters`.

            - **Providers (20).** DePIN (17), each price drawn log-normally (σ = 0.15 of the log, assumed) around
              its market's published H100 figure: Akash ×5 around the observed average $2.58 (list "starting at"
              $2.71), Vast.ai ×5 around the median $2.40, RunPod Community ×3 around $2.69, io.net ×4 around $2.58
              (no io.net H100 price is published; the median of the three DePIN figures) with the first hour
              billed whatever happens (published quirk). Datacentre (3) at their published prices: Lambda $4.29,
              Together AI $3.99, CoreWeave $6.16. Every provider lists its offer for every job, including while it
              is down (listings lag; assumed).
            - **Interruptions.** Datacentre: 1.97×10⁻⁵ unexpected interruptions per GPU-hour (published: Llama 3
              405B, 419 in 54 days on 16,384 H100s). DePIN: a per-job failure probability drawn log-uniformly in
              0.5%–20% (assumed range; "DePIN is worse"), at a uniform point of the run.
            - **Outages.** DePIN availability uniform in 95%–99.8% (assumed around io.net's "99%+" and "<2 h/month"
              claims), exponential outages of mean 2 h; datacentre 99.95%, mean 1 h (assumed SLA-like). A lease asked
              of a provider that is down fails after 60 s (about two 30 s Akash bid waits) and costs nothing; an
              outage during a run interrupts it.
            - **Billing.** A finished, verified job pays `Offer.costFor(length)`; an interrupted one pays
              `costFor(time it ran)` (so io.net's first hour still applies); a result that fails verification pays
              the provider nothing (settlement waits for the verdict) but has cost the run and the verification.
            - **Startup latency.** DePIN medians log-uniform in 30 s (Akash bid wait, published) to 5 min (assumed),
              each attempt log-normal around it (σ 0.5); datacentre 60 s.
            - **Dishonest providers.** 4 of the 17 DePIN providers (20% of 20, inside the 15–25% asked for), each
              faking a uniform 30%–100% of its jobs (assumed); faked results are wrong in every item. They are
              priced like everyone else (a variation lets them undercut by 15%).
            - **Verification.** Re-execution sampling at p = 0.1 per item (PoSP uses 1–10%, published); a job has
              32 items per GPU-hour, at least 8 (assumed), so a faked job is caught with probability
              1 − 0.9^items (96.6% for a 1 h job). It costs p × the job's compute at the verifier's price, $6.88
              per GPU-hour: re-execution must run on hardware the buyer trusts, priced here as the hyperscaler
              (published AWS p5 figure). It takes p × the job's length.
            - **Jobs.** 1 H100 each, lengths log-uniform in 15 min – 4 h (assumed), run one after another; each
              gets 5 attempts on distinct providers before it is given up. Each attempt's outcome comes from a
              random stream keyed by (job, provider, attempt number), so strategies that make the same choice see
              the same outcome.
            - **Strategies.** Forage: `Procurement` with `ProcurementConfig.defaults()` and an empty stats store
              (it learns from nothing). Cheapest-first: the lowest `costFor(length)`, then the next cheapest
              after a failure. Hyperscaler: $6.88 per GPU-hour (AWS p5.48xlarge $55.04/h ÷ 8, published), always
              reliable, trusted and so not verified. Oracle (a yardstick, not a strategy): knows every provider's
              true availability, interruption and cheating rates, ranks by the same formula as Forage
              (`Score`), fails over in that order: what perfect learning could reach.
            """;

    /**
     * Runs the default simulation. Arguments: {@code --seed N} (default 1), {@code --jobs N}
     * (default 1000), {@code --out FILE} (default: print).
     */
    public static void main(String[] args) throws Exception {
        long seed = 1;
        int jobs = 1000;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--jobs" -> jobs = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "': use --seed N, --jobs N, --out FILE");
            }
        }
        String command = "./mvnw -B -q -pl tools -am -DskipNpm -DskipTests -Pbench verify -Dbench.args="
                + (seed == 1 && jobs == 1000 ? "simulation" : "\"simulation --seed " + seed + " --jobs " + jobs + "\"");
        String report = report(seed, jobs, command);
        if (out == null) {
            System.out.print(report);
        } else {
            Files.writeString(out, report);
            System.out.println("wrote " + out.toAbsolutePath());
            System.out.print(table(new MarketSimulation(SimParameters.defaults(seed, jobs)).run()));
        }
    }
}
