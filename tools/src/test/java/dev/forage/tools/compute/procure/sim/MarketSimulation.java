package dev.forage.tools.compute.procure.sim;

import dev.forage.policies.Money;
import dev.forage.tools.compute.ComputeSpec;
import dev.forage.tools.compute.Offer;
import dev.forage.tools.compute.Prices;
import dev.forage.tools.compute.procure.AttemptResult;
import dev.forage.tools.compute.procure.Job;
import dev.forage.tools.compute.procure.Procurement;
import dev.forage.tools.compute.procure.ProcurementConfig;
import dev.forage.tools.compute.procure.ProcurementResult;
import dev.forage.tools.compute.procure.ProviderStatsStore;
import dev.forage.tools.compute.procure.ReputationPrior;
import dev.forage.tools.compute.procure.Score;
import dev.forage.tools.testing.MutableClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs the same jobs on the same simulated market three ways: Forage's {@link Procurement}, always
 * the cheapest offer, and the hyperscaler alone. Jobs run one after another on a virtual clock
 * ({@link MutableClock}); nothing sleeps. Deterministic for a seed.
 */
final class MarketSimulation {

    private final SimWorld world;

    MarketSimulation(SimParameters parameters) {
        this.world = new SimWorld(parameters);
    }

    SimWorld world() {
        return world;
    }

    /** The totals of one strategy over every job. */
    record Totals(String strategy, int jobs, int verified, Money providerCharges, Money verification, int attempts,
            int wrongAccepted, Duration wall, Map<String, Integer> attemptsByProvider, Map<String, Integer> verifiedByProvider) {

        Money total() {
            return providerCharges.plus(verification);
        }

        /** Cost per correct result in USD (verified and not a fake that slipped through), to 4 decimals. */
        BigDecimal costPerCorrectUsd() {
            int correct = verified - wrongAccepted;
            if (correct <= 0) {
                return BigDecimal.ZERO;
            }
            return new BigDecimal(total().units(), total().asset().decimals())
                    .divide(BigDecimal.valueOf(correct), 4, RoundingMode.HALF_EVEN);
        }

        /** Cost per verified job in USD, to 4 decimals. */
        BigDecimal costPerVerifiedUsd() {
            if (verified == 0) {
                return BigDecimal.ZERO;
            }
            return new BigDecimal(total().units(), total().asset().decimals())
                    .divide(BigDecimal.valueOf(verified), 4, RoundingMode.HALF_EVEN);
        }

        double verifiedShare() {
            return (double) verified / jobs;
        }
    }

    /** The strategies on every job: Forage, cheapest-first, the hyperscaler, and the oracle (a yardstick). */
    List<Totals> run() {
        return List.of(forage(), cheapestFirst(), hyperscaler(), oracle());
    }

    /** Forage's procurement: Thompson sampling on expected cost per verified result, share cap, failover. */
    Totals forage() {
        SimParameters p = world.parameters;
        MutableClock clock = new MutableClock(SimWorld.T0);
        Tally tally = new Tally("Forage procurement");
        try (ProviderStatsStore store = ProviderStatsStore.inMemory()) {
            Procurement procurement = new Procurement(store, ReputationPrior.none(),
                    p.procurement().withMaxAttempts(p.maxAttempts()), new SplittableRandom(p.seed() ^ 0x5DEECE66DL), clock);
            List<Offer> offers = world.offers();
            for (int i = 0; i < world.jobs.size(); i++) {
                int jobIndex = i;
                Duration length = world.jobs.get(i);
                Job job = new Job("job-" + i, ComputeSpec.of("h100", 1, length), world.verificationCost(length));
                ProcurementResult result = procurement.procure(job, offers, (j, offer, attempt) -> {
                    SimWorld.Outcome o = world.attempt(jobIndex, length, world.provider(offer), attempt, clock.instant());
                    clock.advance(o.elapsed());
                    tally.attempt(offer, o);
                    return switch (o.kind()) {
                        case LEASE_FAILED -> AttemptResult.LeaseFailed.of(offer, "provider down");
                        case JOB_FAILED -> new AttemptResult.JobFailed(o.latency(), o.charged(), "interrupted");
                        case REJECTED -> new AttemptResult.Rejected(o.latency(), o.charged(), "sampled items differ");
                        case VERIFIED -> new AttemptResult.Verified(o.latency(), o.charged());
                    };
                });
                tally.job(result instanceof ProcurementResult.Verified);
            }
        }
        tally.wall = Duration.between(SimWorld.T0, clock.instant());
        return tally.totals();
    }

    /** Always the cheapest offer for the job's length, failing over to the next cheapest, same limit. */
    Totals cheapestFirst() {
        return inFixedOrder("always the cheapest offer", (i, length) -> {
            List<Offer> byCost = new ArrayList<>(world.offers());
            byCost.sort(Comparator.comparing((Offer o) -> o.costFor(length)).thenComparing(Offer::providerId));
            return byCost;
        });
    }

    /**
     * Not a strategy anyone can follow: it knows every provider's true rates and ranks by the same
     * formula Forage estimates ({@link Score}). The yardstick for what learning could reach.
     */
    Totals oracle() {
        ProcurementConfig config = world.parameters.procurement();
        return inFixedOrder("oracle (knows the true rates; yardstick)", (i, length) -> {
            Job job = new Job("job-" + i, ComputeSpec.of("h100", 1, length), world.verificationCost(length));
            List<Score> scores = new ArrayList<>();
            for (SimProvider p : world.providers) {
                scores.add(Score.of(p.offer(), job, world.trueLease(p), world.trueJob(p, length), world.trueVerify(p, length),
                        p.startupMedian(), config));
            }
            scores.sort(Comparator.comparingDouble(Score::rankUnits).thenComparing(s -> s.offer().providerId()));
            return scores.stream().map(Score::offer).toList();
        });
    }

    /** Tries each job's offers in the order {@code order} gives, skipping providers that failed it, up to the limit. */
    private Totals inFixedOrder(String name, java.util.function.BiFunction<Integer, Duration, List<Offer>> order) {
        SimParameters p = world.parameters;
        MutableClock clock = new MutableClock(SimWorld.T0);
        Tally tally = new Tally(name);
        for (int i = 0; i < world.jobs.size(); i++) {
            Duration length = world.jobs.get(i);
            List<Offer> byCost = order.apply(i, length);
            Set<String> failed = new HashSet<>();
            boolean verified = false;
            int attempt = 0;
            for (Offer offer : byCost) {
                if (attempt == p.maxAttempts() || verified) {
                    break;
                }
                if (failed.contains(offer.providerId())) {
                    continue;
                }
                attempt++;
                SimWorld.Outcome o = world.attempt(i, length, world.provider(offer), attempt, clock.instant());
                clock.advance(o.elapsed());
                tally.attempt(offer, o);
                verified = o.kind() == SimWorld.Outcome.Kind.VERIFIED;
                failed.add(offer.providerId());
            }
            tally.job(verified);
        }
        tally.wall = Duration.between(SimWorld.T0, clock.instant());
        return tally.totals();
    }

    /** The hyperscaler alone: its price for every job's length, always reliable, trusted without verification. */
    Totals hyperscaler() {
        SimParameters p = world.parameters;
        Money perHour = Prices.usd(p.hyperscalerUsdPerGpuHour(), SimWorld.USDC);
        Money charges = Money.zero(SimWorld.USDC);
        Duration wall = Duration.ZERO;
        for (Duration length : world.jobs) {
            charges = charges.plus(Prices.prorate(perHour, length));
            wall = wall.plus(p.datacentreStartup()).plus(length);
        }
        int n = world.jobs.size();
        return new Totals("hyperscaler only ($" + p.hyperscalerUsdPerGpuHour() + "/GPU-h)", n, n, charges,
                Money.zero(SimWorld.USDC), n, 0, wall, Map.of(), Map.of());
    }

    private static final class Tally {
        final String strategy;
        int jobs;
        int verified;
        Money charges = Money.zero(SimWorld.USDC);
        Money verification = Money.zero(SimWorld.USDC);
        int attempts;
        int wrong;
        Duration wall = Duration.ZERO;
        final Map<String, Integer> byProvider = new LinkedHashMap<>();
        final Map<String, Integer> verifiedBy = new LinkedHashMap<>();

        Tally(String strategy) {
            this.strategy = strategy;
        }

        void attempt(Offer offer, SimWorld.Outcome o) {
            attempts++;
            charges = charges.plus(o.charged());
            verification = verification.plus(o.verification());
            if (o.wrongAccepted()) {
                wrong++;
            }
            byProvider.merge(offer.providerId(), 1, Integer::sum);
            if (o.kind() == SimWorld.Outcome.Kind.VERIFIED) {
                verifiedBy.merge(offer.providerId(), 1, Integer::sum);
            }
        }

        void job(boolean ok) {
            jobs++;
            if (ok) {
                verified++;
            }
        }

        Totals totals() {
            return new Totals(strategy, jobs, verified, charges, verification, attempts, wrong, wall, Map.copyOf(byProvider),
                    Map.copyOf(verifiedBy));
        }
    }
}
