package dev.forage.tools.compute.procure.sim;

import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.compute.Offer;
import dev.forage.tools.compute.Prices;
import dev.forage.tools.compute.Resources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The simulated market: 20 providers drawn from {@link SimParameters}, the jobs, and what happens
 * when a job is attempted on a provider at a time. Deterministic for a seed: the world is drawn from
 * one stream, and each attempt's outcome from a stream of its own keyed by (job, provider, attempt
 * number), so two strategies that try the same provider for the same job see the same outcome.
 * Time is virtual; nothing sleeps.
 */
final class SimWorld {

    static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x" + "c".repeat(40));
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    /** Outage windows are drawn this far ahead; 1,000 sequential jobs take well under 3,000 h. */
    private static final Duration HORIZON = Duration.ofHours(20_000);

    final SimParameters parameters;
    final List<SimProvider> providers;
    final List<Duration> jobs;

    SimWorld(SimParameters p) {
        this.parameters = p;
        SplittableRandom world = new SplittableRandom(p.seed());
        this.providers = drawProviders(p, world.split());
        this.jobs = drawJobs(p, world.split());
    }

    /** What one attempt did. */
    record Outcome(Kind kind, Duration elapsed, Duration latency, Money charged, Money verification, boolean wrongAccepted) {
        enum Kind { LEASE_FAILED, JOB_FAILED, REJECTED, VERIFIED }
    }

    /** The offers every strategy sees for a job: every provider's, including those down now (listings lag). */
    List<Offer> offers() {
        return providers.stream().map(SimProvider::offer).toList();
    }

    SimProvider provider(Offer offer) {
        for (SimProvider p : providers) {
            if (p.offer().providerId().equals(offer.providerId()) && p.offer().market().equals(offer.market())) {
                return p;
            }
        }
        throw new IllegalArgumentException("no simulated provider for " + offer.market() + "/" + offer.providerId());
    }

    /** The buyer's cost of verifying a job of {@code length}: p × its compute at the verifier's price. */
    Money verificationCost(Duration length) {
        Money perHour = Prices.usd(parameters.verifierUsdPerGpuHour(), USDC);
        return Prices.prorate(perHour, Duration.ofNanos(Math.round(length.toNanos() * parameters.verificationP())));
    }

    /** How many checkable items a job of {@code length} has. */
    int items(Duration length) {
        return Math.max(parameters.minItems(), (int) Math.ceil(hours(length) * parameters.itemsPerGpuHour()));
    }

    /**
     * Attempt job {@code job} (of {@code length}) on {@code provider} starting at {@code start}.
     *
     * <ul>
     *   <li>Down at the start: the lease fails after {@code leaseFailureTime}, nothing billed.
     *   <li>Otherwise it starts after a log-normal startup latency; it is interrupted with its failure
     *       probability at a uniform point of the run, or at the start of an outage during the run;
     *       an interrupted job is billed for the time it ran (at least the minimum charge).
     *   <li>A finished job is verified (the buyer pays {@link #verificationCost} and waits p × its
     *       length); a faked result is caught with probability {@code 1 − (1 − p)^items} and then
     *       pays the provider nothing (settlement waits for the verdict); otherwise the provider is
     *       paid the full lease, and a faked result that slipped through counts as a wrong result accepted.
     * </ul>
     */
    Outcome attempt(int job, Duration length, SimProvider provider, int attemptNumber, Instant start) {
        SplittableRandom r = new SplittableRandom(streamSeed(job, provider.index(), attemptNumber));
        Money zero = Money.zero(USDC);
        if (provider.downAt(start)) {
            return new Outcome(Outcome.Kind.LEASE_FAILED, parameters.leaseFailureTime(), Duration.ZERO, zero, zero, false);
        }
        Duration latency = seconds(provider.startupMedian().toMillis() / 1000.0 * Math.exp(0.5 * r.nextGaussian()));
        Instant running = start.plus(latency);
        double failure = provider.perGpuHour()
                ? 1.0 - Math.exp(-provider.jobFailure() * hours(length) * provider.offer().resources().gpuCount())
                : provider.jobFailure();
        double failDraw = r.nextDouble();
        double failPoint = r.nextDouble();
        Optional<Instant> outage = provider.outageStartIn(running, running.plus(length));
        Duration ranFor = null;
        if (failDraw < failure) {
            ranFor = Duration.ofNanos(Math.max(1, Math.round(length.toNanos() * failPoint)));
        }
        if (outage.isPresent()) {
            Duration untilOutage = Duration.between(running, outage.get());
            ranFor = ranFor == null || untilOutage.compareTo(ranFor) < 0 ? untilOutage : ranFor;
        }
        if (ranFor != null) {
            Duration billed = ranFor.isZero() ? Duration.ofNanos(1) : ranFor;
            return new Outcome(Outcome.Kind.JOB_FAILED, latency.plus(ranFor), latency, provider.offer().costFor(billed), zero,
                    false);
        }
        Money verification = verificationCost(length);
        Duration verifying = Duration.ofNanos(Math.round(length.toNanos() * parameters.verificationP()));
        Duration elapsed = latency.plus(length).plus(verifying);
        boolean faked = r.nextDouble() < provider.cheat();
        if (faked) {
            double caught = 1.0 - Math.pow(1.0 - parameters.verificationP(), items(length));
            if (r.nextDouble() < caught) {
                return new Outcome(Outcome.Kind.REJECTED, elapsed, latency, zero, verification, false);
            }
        }
        return new Outcome(Outcome.Kind.VERIFIED, elapsed, latency, provider.offer().costFor(length), verification, faked);
    }

    /** The true probability that a lease on {@code provider} comes up (its availability). */
    double trueLease(SimProvider provider) {
        return provider.availability();
    }

    /** The true probability that a job of {@code length} on {@code provider} finishes, given the lease came up. */
    double trueJob(SimProvider provider, Duration length) {
        double own = provider.perGpuHour() ? Math.exp(-provider.jobFailure() * hours(length)) : 1.0 - provider.jobFailure();
        Duration meanOutage = provider.kind() == SimParameters.Kind.DEPIN ? parameters.depinMeanOutage()
                : parameters.datacentreMeanOutage();
        double meanUpHours = hours(meanOutage) * provider.availability() / (1.0 - provider.availability());
        return own * Math.exp(-hours(length) / meanUpHours);
    }

    /** The true probability that a finished job's result passes verification (honest, or a fake not caught). */
    double trueVerify(SimProvider provider, Duration length) {
        double caught = 1.0 - Math.pow(1.0 - parameters.verificationP(), items(length));
        return 1.0 - provider.cheat() * caught;
    }

    private long streamSeed(int job, int provider, int attempt) {
        long s = parameters.seed();
        s = s * 1_000_003L + job;
        s = s * 1_000_003L + provider;
        s = s * 1_000_003L + attempt;
        return s;
    }

    private static List<SimProvider> drawProviders(SimParameters p, RandomGenerator r) {
        List<SimParameters.MarketGroup> groups = p.markets();
        int total = groups.stream().mapToInt(SimParameters.MarketGroup::providers).sum();
        List<Integer> depinIndexes = new ArrayList<>();
        int index = 0;
        for (SimParameters.MarketGroup g : groups) {
            for (int i = 0; i < g.providers(); i++, index++) {
                if (g.kind() == SimParameters.Kind.DEPIN) {
                    depinIndexes.add(index);
                }
            }
        }
        // Choose the cheats among the DePIN providers (partial Fisher-Yates).
        List<Integer> pool = new ArrayList<>(depinIndexes);
        java.util.Set<Integer> cheats = new java.util.HashSet<>();
        for (int i = 0; i < p.dishonest(); i++) {
            int pick = i + r.nextInt(pool.size() - i);
            java.util.Collections.swap(pool, i, pick);
            cheats.add(pool.get(i));
        }
        List<SimProvider> out = new ArrayList<>(total);
        index = 0;
        for (SimParameters.MarketGroup g : groups) {
            for (int i = 0; i < g.providers(); i++, index++) {
                boolean depin = g.kind() == SimParameters.Kind.DEPIN;
                BigDecimal price = depin
                        ? g.usdPerGpuHour().multiply(BigDecimal.valueOf(Math.exp(p.priceSpread() * r.nextGaussian())))
                                .setScale(2, RoundingMode.HALF_UP)
                        : g.usdPerGpuHour();
                if (cheats.contains(index) && p.cheatDiscount() > 0) {
                    price = price.multiply(BigDecimal.valueOf(1.0 - p.cheatDiscount())).setScale(2, RoundingMode.HALF_UP);
                }
                Money perHour = Prices.usd(price, USDC);
                Money minimum = Prices.prorate(perHour, Duration.ofHours(g.minimumHours()));
                String id = g.market() + "-" + (i + 1);
                Offer offer = new Offer(g.market(), id, id + "-h100", new Resources("NVIDIA H100 80GB HBM3", 1, 80, 0, 0,
                        Optional.empty()), perHour, minimum, T0.plus(HORIZON), Map.of());
                double failure = depin ? logUniform(r, p.depinJobFailureMin(), p.depinJobFailureMax())
                        : p.datacentreInterruptionsPerGpuHour();
                double availability = depin ? p.depinAvailabilityMin()
                        + r.nextDouble() * (p.depinAvailabilityMax() - p.depinAvailabilityMin()) : p.datacentreAvailability();
                Duration meanOutage = depin ? p.depinMeanOutage() : p.datacentreMeanOutage();
                Duration startup = depin ? seconds(logUniform(r, p.depinStartupMin().toSeconds(), p.depinStartupMax().toSeconds()))
                        : p.datacentreStartup();
                double cheat = cheats.contains(index) ? p.cheatMin() + r.nextDouble() * (p.cheatMax() - p.cheatMin()) : 0.0;
                out.add(new SimProvider(index, offer, g.kind(), failure, !depin, availability, startup, cheat,
                        outages(r, availability, meanOutage)));
            }
        }
        return List.copyOf(out);
    }

    /** An alternating renewal process: exponential up and down times with the given availability. */
    private static List<SimProvider.Outage> outages(RandomGenerator r, double availability, Duration meanOutage) {
        double meanDown = meanOutage.toSeconds();
        double meanUp = meanDown * availability / (1.0 - availability);
        List<SimProvider.Outage> out = new ArrayList<>();
        Instant t = T0;
        boolean up = r.nextDouble() < availability;
        Instant end = T0.plus(HORIZON);
        while (t.isBefore(end)) {
            Duration span = seconds(-Math.log(1.0 - r.nextDouble()) * (up ? meanUp : meanDown));
            if (!up) {
                out.add(new SimProvider.Outage(t, t.plus(span)));
            }
            t = t.plus(span);
            up = !up;
        }
        return List.copyOf(out);
    }

    private static List<Duration> drawJobs(SimParameters p, RandomGenerator r) {
        List<Duration> out = new ArrayList<>(p.jobs());
        for (int i = 0; i < p.jobs(); i++) {
            double minutes = logUniform(r, p.minJob().toMinutes(), p.maxJob().toMinutes());
            out.add(Duration.ofMinutes(Math.max(1, Math.round(minutes))));
        }
        return List.copyOf(out);
    }

    static double logUniform(RandomGenerator r, double min, double max) {
        return Math.exp(Math.log(min) + r.nextDouble() * (Math.log(max) - Math.log(min)));
    }

    static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    static double hours(Duration d) {
        return d.toNanos() / 3.6e12;
    }
}
