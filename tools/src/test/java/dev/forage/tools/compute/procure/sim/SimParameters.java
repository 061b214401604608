package dev.forage.tools.compute.procure.sim;

import dev.forage.tools.compute.procure.ProcurementConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every knob of the market simulation, with where each default comes from. "Published" figures
 * are from {@code shared/reference/depin-deai-apis.md} section 7 (H100 on-demand prices, the Llama 3
 * interruption rate, io.net's uptime claims, Akash's bid wait) and section 6 (PoSP sampling rates);
 * "assumed" ones are modelling choices, stated as such.
 *
 * @param seed the seed of everything random: the providers, the jobs, each attempt's outcome,
 *     Forage's Thompson draws
 * @param jobs how many jobs each strategy runs
 * @param markets the provider population, by market
 * @param priceSpread the standard deviation of the log of a DePIN provider's price around its
 *     market's figure (assumed: 0.15, so 90% of providers within about −22% to +28%; no
 *     per-provider dispersion is published)
 * @param depinJobFailureMin the least per-job failure probability of a DePIN provider (the brief's
 *     range, 0.5%; the published datacentre rate is far lower, see {@code datacentreInterruptionsPerGpuHour})
 * @param depinJobFailureMax the largest (20%); each provider's is drawn log-uniformly in between
 * @param datacentreInterruptionsPerGpuHour unexpected interruptions per GPU-hour in a datacentre:
 *     Meta's Llama 3 405B pre-training, 419 unexpected interruptions on 16,384 H100s over 54 days,
 *     ≈ 1.97×10⁻⁵ (published)
 * @param depinAvailabilityMin the least share of time a DePIN provider is up (assumed 95%, below
 *     io.net's "99%+" marketing claim; io.net removes providers under 80%)
 * @param depinAvailabilityMax the largest (99.8%: io.net's "&lt;2 h/month" unplanned downtime is
 *     99.7%); drawn uniformly in between
 * @param depinMeanOutage the mean length of a DePIN outage (assumed 2 h, exponential)
 * @param datacentreAvailability a datacentre provider's availability (assumed 99.95%, a typical
 *     cloud SLA), with {@code datacentreMeanOutage} outages
 * @param datacentreMeanOutage the mean length of a datacentre outage (assumed 1 h)
 * @param depinStartupMin the least median startup latency of a DePIN provider (Akash's bid wait is
 *     about 30 s, published)
 * @param depinStartupMax the largest (assumed 5 min: bid wait plus pulling an image); drawn
 *     log-uniformly, each attempt then log-normal around it with σ 0.5
 * @param datacentreStartup a datacentre provider's median startup (assumed 60 s)
 * @param dishonest how many of the DePIN providers cheat (4 of 20 providers = 20%, inside the brief's
 *     15–25%)
 * @param cheatMin the least share of its jobs a cheat fakes (assumed 30%)
 * @param cheatMax the largest (100%); drawn uniformly in between
 * @param cheatDiscount how far below its draw a cheat prices (0 by default: cheats are priced like
 *     everyone; a variation undercuts, since faking saves the compute)
 * @param verificationP the share of a job's items re-executed by the verifier (0.1; PoSP uses 1–10%)
 * @param itemsPerGpuHour how many separately checkable items a GPU-hour of work has (assumed 32,
 *     about one batch every 2 minutes), at least {@code minItems} per job; a cheating job (all
 *     items wrong) is caught with probability {@code 1 − (1 − p)^items}
 * @param minItems the fewest items in a job (assumed 8)
 * @param verifierUsdPerGpuHour what the verifier's re-execution costs per GPU-hour: it must run on
 *     hardware the buyer trusts, so the hyperscaler's price, $6.88 (published, AWS p5)
 * @param hyperscalerUsdPerGpuHour the baseline's price: AWS p5.48xlarge $55.04/h ÷ 8 GPUs = $6.88
 *     (published), always reliable, not verified
 * @param minJob the shortest job (assumed 15 min); job lengths are drawn log-uniformly up to {@code maxJob}
 * @param maxJob the longest job (assumed 4 h)
 * @param leaseFailureTime how long a failed lease attempt takes (assumed 60 s: two Akash bid waits)
 * @param maxAttempts the attempts a job gets before it is given up, for Forage and for cheapest-first (5)
 * @param procurement Forage's procurement settings
 */
public record SimParameters(long seed, int jobs, List<MarketGroup> markets, double priceSpread, double depinJobFailureMin,
        double depinJobFailureMax, double datacentreInterruptionsPerGpuHour, double depinAvailabilityMin,
        double depinAvailabilityMax, Duration depinMeanOutage, double datacentreAvailability, Duration datacentreMeanOutage,
        Duration depinStartupMin, Duration depinStartupMax, Duration datacentreStartup, int dishonest, double cheatMin,
        double cheatMax, double cheatDiscount, double verificationP, int itemsPerGpuHour, int minItems, BigDecimal verifierUsdPerGpuHour,
        BigDecimal hyperscalerUsdPerGpuHour, Duration minJob, Duration maxJob, Duration leaseFailureTime, int maxAttempts,
        ProcurementConfig procurement) {

    public SimParameters {
        markets = List.copyOf(markets);
        Objects.requireNonNull(procurement, "procurement");
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs " + jobs + " must be at least 1");
        }
        long depin = markets.stream().filter(m -> m.kind() == Kind.DEPIN).mapToLong(MarketGroup::providers).sum();
        if (dishonest < 0 || dishonest > depin) {
            throw new IllegalArgumentException("dishonest " + dishonest + " must be 0 to the " + depin + " DePIN providers");
        }
        if (!(cheatDiscount >= 0 && cheatDiscount < 1)) {
            throw new IllegalArgumentException("cheatDiscount " + cheatDiscount + " must be 0 or more and below 1");
        }
        if (!(verificationP >= 0 && verificationP <= 1)) {
            throw new IllegalArgumentException("verificationP " + verificationP + " must be 0 to 1");
        }
    }

    /** Whether a provider is a datacentre-class cloud or a DePIN provider. */
    public enum Kind { DATACENTRE, DEPIN }

    /**
     * Providers of one market.
     *
     * @param market the market's id
     * @param providers how many providers
     * @param usdPerGpuHour the published H100 price the providers are drawn around (DePIN) or
     *     charge (datacentre)
     * @param minimumHours hours every lease is billed at least (io.net: the first hour is never refunded)
     * @param kind datacentre or DePIN
     * @param source where the price comes from
     */
    public record MarketGroup(String market, int providers, BigDecimal usdPerGpuHour, int minimumHours, Kind kind,
            String source) {}

    /**
     * The defaults: 20 providers. DePIN (17): Akash ×5 around the observed average $2.58 (the list
     * price "starting at" $2.71 is the floor of the posted range, the observed average what leases
     * cost), Vast.ai ×5 around the median $2.40, RunPod Community ×3 around $2.69, io.net ×4 around
     * $2.58 (no io.net H100 price is published: the median of the three DePIN figures) with the
     * first hour non-refundable. Datacentre (3): Lambda $4.29, Together AI $3.99, CoreWeave $6.16.
     */
    public static SimParameters defaults(long seed, int jobs) {
        List<MarketGroup> markets = List.of(
                new MarketGroup("akash", 5, new BigDecimal("2.58"), 0, Kind.DEPIN, "Akash observed average, compute-screener 2026-10-24"),
                new MarketGroup("vast", 5, new BigDecimal("2.40"), 0, Kind.DEPIN, "Vast.ai median, silybench 2026-10-19"),
                new MarketGroup("runpod", 3, new BigDecimal("2.69"), 0, Kind.DEPIN, "RunPod Community, datareceipts"),
                new MarketGroup("ionet", 4, new BigDecimal("2.58"), 1, Kind.DEPIN,
                        "none published; median of the DePIN figures; first hour non-refundable"),
                new MarketGroup("lambda", 1, new BigDecimal("4.29"), 0, Kind.DATACENTRE, "Lambda 1x, silybench"),
                new MarketGroup("together", 1, new BigDecimal("3.99"), 0, Kind.DATACENTRE, "Together AI, compute-screener"),
                new MarketGroup("coreweave", 1, new BigDecimal("6.16"), 0, Kind.DATACENTRE, "CoreWeave, compute-screener"));
        return new SimParameters(seed, jobs, markets, 0.15, 0.005, 0.20, 1.97e-5, 0.95, 0.998, Duration.ofHours(2), 0.9995,
                Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(60), 4, 0.3, 1.0, 0.0, 0.1,
                32, 8, new BigDecimal("6.88"), new BigDecimal("6.88"), Duration.ofMinutes(15), Duration.ofHours(4),
                Duration.ofSeconds(60), 5, ProcurementConfig.defaults());
    }

    /** These parameters with another verification rate. */
    public SimParameters withVerificationP(double p) {
        return new SimParameters(seed, jobs, markets, priceSpread, depinJobFailureMin, depinJobFailureMax,
                datacentreInterruptionsPerGpuHour, depinAvailabilityMin, depinAvailabilityMax, depinMeanOutage,
                datacentreAvailability, datacentreMeanOutage, depinStartupMin, depinStartupMax, datacentreStartup, dishonest,
                cheatMin, cheatMax, cheatDiscount, p, itemsPerGpuHour, minItems, verifierUsdPerGpuHour, hyperscalerUsdPerGpuHour, minJob,
                maxJob, leaseFailureTime, maxAttempts, procurement);
    }

    /** These parameters with another verifier price. */
    public SimParameters withVerifierPrice(BigDecimal usdPerGpuHour) {
        return new SimParameters(seed, jobs, markets, priceSpread, depinJobFailureMin, depinJobFailureMax,
                datacentreInterruptionsPerGpuHour, depinAvailabilityMin, depinAvailabilityMax, depinMeanOutage,
                datacentreAvailability, datacentreMeanOutage, depinStartupMin, depinStartupMax, datacentreStartup, dishonest,
                cheatMin, cheatMax, cheatDiscount, verificationP, itemsPerGpuHour, minItems, usdPerGpuHour, hyperscalerUsdPerGpuHour, minJob,
                maxJob, leaseFailureTime, maxAttempts, procurement);
    }

    /** These parameters with another procurement config. */
    public SimParameters withProcurement(ProcurementConfig config) {
        return new SimParameters(seed, jobs, markets, priceSpread, depinJobFailureMin, depinJobFailureMax,
                datacentreInterruptionsPerGpuHour, depinAvailabilityMin, depinAvailabilityMax, depinMeanOutage,
                datacentreAvailability, datacentreMeanOutage, depinStartupMin, depinStartupMax, datacentreStartup, dishonest,
                cheatMin, cheatMax, cheatDiscount, verificationP, itemsPerGpuHour, minItems, verifierUsdPerGpuHour,
                hyperscalerUsdPerGpuHour, minJob, maxJob, leaseFailureTime, maxAttempts, config);
    }

    /** These parameters with cheats pricing {@code discount} below their draw. */
    public SimParameters withCheatDiscount(double discount) {
        return new SimParameters(seed, jobs, markets, priceSpread, depinJobFailureMin, depinJobFailureMax,
                datacentreInterruptionsPerGpuHour, depinAvailabilityMin, depinAvailabilityMax, depinMeanOutage,
                datacentreAvailability, datacentreMeanOutage, depinStartupMin, depinStartupMax, datacentreStartup, dishonest,
                cheatMin, cheatMax, discount, verificationP, itemsPerGpuHour, minItems, verifierUsdPerGpuHour,
                hyperscalerUsdPerGpuHour, minJob, maxJob, leaseFailureTime, maxAttempts, procurement);
    }
}
