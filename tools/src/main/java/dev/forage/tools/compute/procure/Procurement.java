package dev.forage.tools.compute.procure;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.forage.policies.CounterpartyStats;
import dev.forage.tools.ToolException;
import dev.forage.tools.compute.Offer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses among offers from several markets by expected cost per verified result, explores with
 * Thompson sampling, spreads load under a share cap and fails over.
 *
 * <p><b>Estimates.</b> Each provider has three Beta posteriors ({@link ProviderPosterior}): that
 * its lease comes up, that the job then finishes, that the result then verifies. Each starts from
 * the <i>population prior</i>: the pooled rate over every provider in the store,
 * {@code m = (1 + successes) / (2 + trials)} (a uniform hyper-prior keeps it strictly inside 0 to
 * 1), worth {@link ProcurementConfig#priorStrength()} observations. So a newcomer is assumed to be
 * an average provider, with wide uncertainty. An ERC-8004 reputation prior adds its pseudo-counts
 * ({@link ReputationPrior.Prior#pseudoCounts}) to the verification posterior: ratings in this
 * project are given after a verdict, so they speak of result quality; uptime Forage measures
 * cheaply itself, since a failed lease costs no money. Then the provider's own counts are added.
 * The expected startup latency is the provider's moving average, else the population's
 * sample-weighted average, else zero.
 *
 * <p><b>Choice.</b> For every candidate offer, draw the three probabilities from the posteriors
 * (Thompson sampling, with the injected seeded {@link RandomGenerator}) and compute the
 * {@link Score} (the formula is there); take the lowest rank. A newcomer's wide posteriors give it
 * optimistic draws now and then, so it gets tried; a provider seen to fail is drawn pessimistic
 * almost always and starves; among good providers the draws differ from choice to choice, so the
 * load spreads. On top, a provider that had {@link ProcurementConfig#maxShare()} of the last
 * {@link ProcurementConfig#shareWindow()} attempts is passed over for the best provider under the
 * cap, as long as that one's drawn rank is at most {@link ProcurementConfig#capTolerance()} times
 * the capped one's: so no provider carries more than that share while others nearly as good
 * exist, and the cap never pushes work onto a provider much worse (nor refuses work when every
 * candidate is capped).
 *
 * <p><b>Failover.</b> {@link #procure} tries up to {@link ProcurementConfig#maxAttempts()}
 * offers. After an attempt that did not verify, that offer and every other offer of the same
 * provider are out for the rest of the job (a provider whose lease just failed is likely down).
 * Offers that expired by the clock, or are priced in another asset than the job's verification
 * cost, are never candidates. Every attempt is recorded in the {@link ProviderStatsStore}.
 *
 * <p>Thread-safe: choices are serialised (the random generator and the share window are shared);
 * attempts of different jobs run concurrently.
 */
public final class Procurement {

    private final ProviderStatsStore store;
    private final ReputationPrior reputation;
    private final ProcurementConfig config;
    private final RandomGenerator random;
    private final Clock clock;
    private final Cache<ProviderKey, Optional<ReputationPrior.Prior>> priors;
    private final ArrayDeque<ProviderKey> recent = new ArrayDeque<>();
    private final Map<ProviderKey, Integer> recentCounts = new HashMap<>();

    /**
     * @param store where provider statistics are read and recorded
     * @param reputation reputation priors ({@link ReputationPrior#none()} for none)
     * @param config weights and limits
     * @param random the source of Thompson draws; seed it for repeatable choices
     * @param clock the time for attempts, offer expiry and the reputation cache
     */
    public Procurement(ProviderStatsStore store, ReputationPrior reputation, ProcurementConfig config, RandomGenerator random,
            Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.reputation = Objects.requireNonNull(reputation, "reputation");
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.priors = Caffeine.newBuilder().expireAfterWrite(config.reputationTtl()).maximumSize(10_000)
                .ticker(() -> clock.millis() * 1_000_000L).build();
    }

    /** The config in use. */
    public ProcurementConfig config() {
        return config;
    }

    /**
     * Buys one verified result for {@code job}: chooses an offer, lets {@code runner} attempt it,
     * records the outcome, and fails over until an attempt verifies or the limit is reached.
     *
     * @param offers the offers to choose from (several markets' answers together)
     * @return the result: verified, or exhausted with the reason
     * @throws ProcurementException STORE_FAILURE when an outcome cannot be recorded
     */
    public ProcurementResult procure(Job job, List<Offer> offers, JobRunner runner) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(runner, "runner");
        List<ProcurementResult.Attempt> attempts = new ArrayList<>();
        Set<ProviderKey> failedProviders = new HashSet<>();
        for (int number = 1; number <= config.maxAttempts(); number++) {
            Instant now = clock.instant();
            List<Offer> candidates = offers.stream()
                    .filter(o -> usable(o, job, now))
                    .filter(o -> !failedProviders.contains(ProviderKey.of(o)))
                    .toList();
            Optional<Score> chosen = choose(job, candidates);
            if (chosen.isEmpty()) {
                return new ProcurementResult.Exhausted(job, attempts, attempts.isEmpty()
                        ? "no usable offer among " + offers.size() + " (expired, another asset, or none at all)"
                        : "no offer left after " + attempts.size() + " failed attempts");
            }
            Offer offer = chosen.get().offer();
            Instant start = clock.instant();
            AttemptResult result;
            try {
                result = Objects.requireNonNull(runner.attempt(job, offer, number), "runner result");
            } catch (ToolException e) {
                result = AttemptResult.LeaseFailed.of(offer, e.getMessage());
            }
            Instant end = clock.instant();
            store.record(observation(ProviderKey.of(offer), result, end));
            attempts.add(new ProcurementResult.Attempt(number, offer, chosen.get(), result, start, end));
            if (result instanceof AttemptResult.Verified) {
                return new ProcurementResult.Verified(job, attempts);
            }
            failedProviders.add(ProviderKey.of(offer));
        }
        return new ProcurementResult.Exhausted(job, attempts, "no verified result in " + config.maxAttempts() + " attempts");
    }

    /**
     * Chooses one of {@code candidates} for {@code job} by a Thompson draw under the share cap,
     * and counts the choice towards the chosen provider's share (call it only for an offer that
     * will be attempted). Unusable offers (expired, another asset) are skipped.
     *
     * @return the chosen offer's score, or empty when no candidate is usable
     */
    public Optional<Score> choose(Job job, List<Offer> candidates) {
        Instant now = clock.instant();
        List<Offer> usable = candidates.stream().filter(o -> usable(o, job, now)).toList();
        if (usable.isEmpty()) {
            return Optional.empty();
        }
        Population population = population();
        synchronized (this) {
            Score best = null;
            Score bestUncapped = null;
            for (Offer offer : usable) {
                ProviderPosterior p = posterior(ProviderKey.of(offer), population);
                Score s = Score.of(offer, job, p.lease().sample(random), p.job().sample(random), p.verify().sample(random),
                        p.latency(), config);
                if (best == null || BY_RANK.compare(s, best) < 0) {
                    best = s;
                }
                if (!capped(ProviderKey.of(offer)) && (bestUncapped == null || BY_RANK.compare(s, bestUncapped) < 0)) {
                    bestUncapped = s;
                }
            }
            // The cap passes a capped winner over only for an uncapped provider nearly as good.
            if (bestUncapped != null && bestUncapped != best
                    && bestUncapped.rankUnits() <= config.capTolerance() * best.rankUnits()) {
                best = bestUncapped;
            }
            remember(ProviderKey.of(best.offer()));
            return Optional.of(best);
        }
    }

    /**
     * Every usable offer in {@code offers} scored by posterior means (no draw, nothing recorded),
     * best first: what Forage currently expects of each, for people and audit entries.
     */
    public List<Score> rank(Job job, List<Offer> offers) {
        Instant now = clock.instant();
        Population population = population();
        List<Score> out = new ArrayList<>();
        for (Offer offer : offers) {
            if (usable(offer, job, now)) {
                ProviderPosterior p = posterior(ProviderKey.of(offer), population);
                out.add(Score.of(offer, job, p.lease().mean(), p.job().mean(), p.verify().mean(), p.latency(), config));
            }
        }
        out.sort(BY_RANK);
        return out;
    }

    /** What is believed of {@code key} now. */
    public ProviderPosterior posterior(ProviderKey key) {
        return posterior(key, population());
    }

    /** {@code key}'s statistics as the policy engine's counterparty view, with its reputation score if known. */
    public CounterpartyStats counterparty(ProviderKey key) {
        ProviderStats stats = store.statsOf(key);
        return prior(key).map(stats::counterparty).orElseGet(stats::counterparty);
    }

    /** {@code key}'s share of the last {@link ProcurementConfig#shareWindow()} choices, 0 to 1. */
    public synchronized double share(ProviderKey key) {
        return recentCounts.getOrDefault(key, 0) / (double) config.shareWindow();
    }

    private static final Comparator<Score> BY_RANK = Comparator.comparingDouble(Score::rankUnits)
            .thenComparingDouble(Score::expectedHours)
            .thenComparing(s -> ProviderKey.of(s.offer()))
            .thenComparing(s -> s.offer().offerId());

    private static boolean usable(Offer offer, Job job, Instant now) {
        return offer.expiresAt().isAfter(now) && offer.pricePerHour().asset().equals(job.verificationCost().asset());
    }

    private boolean capped(ProviderKey key) {
        if (config.maxShare() >= 1.0) {
            return false;
        }
        return recentCounts.getOrDefault(key, 0) >= Math.floor(config.maxShare() * config.shareWindow());
    }

    private void remember(ProviderKey key) {
        recent.addLast(key);
        recentCounts.merge(key, 1, Integer::sum);
        if (recent.size() > config.shareWindow()) {
            ProviderKey old = recent.removeFirst();
            recentCounts.computeIfPresent(old, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    private Optional<ReputationPrior.Prior> prior(ProviderKey key) {
        return priors.get(key, reputation::prior);
    }

    private ProviderPosterior posterior(ProviderKey key, Population population) {
        ProviderStats s = store.statsOf(key);
        ReputationPrior.PseudoCounts rep = prior(key)
                .map(p -> p.pseudoCounts(config.reputationWeight(), config.reputationCap()))
                .orElseGet(ReputationPrior.PseudoCounts::none);
        Beta lease = population.lease.observe(s.leases(), s.leaseFailures());
        Beta job = population.job.observe(s.jobSuccesses(), s.jobFailures());
        Beta verify = population.verify.observe(rep.successes(), rep.failures())
                .observe(s.verificationPasses(), s.verificationFailures());
        Duration latency = s.latency().orElse(population.latency);
        return new ProviderPosterior(key, lease, job, verify, latency);
    }

    private Population population() {
        long leaseOk = 0;
        long leaseTrials = 0;
        long jobOk = 0;
        long jobTrials = 0;
        long verifyOk = 0;
        long verifyTrials = 0;
        long latencySamples = 0;
        double latencyWeighted = 0.0;
        for (ProviderStats s : store.all()) {
            leaseOk += s.leases();
            leaseTrials += s.leaseAttempts();
            jobOk += s.jobSuccesses();
            jobTrials += s.jobSuccesses() + s.jobFailures();
            verifyOk += s.verificationPasses();
            verifyTrials += s.verificationPasses() + s.verificationFailures();
            latencySamples += s.latencySamples();
            latencyWeighted += s.latencySamples() * s.latencyEwmaMillis();
        }
        double strength = config.priorStrength();
        Duration latency = latencySamples == 0 ? Duration.ZERO
                : Duration.ofNanos(Math.round(latencyWeighted / latencySamples * 1e6));
        return new Population(Beta.withMean(pooled(leaseOk, leaseTrials), strength),
                Beta.withMean(pooled(jobOk, jobTrials), strength), Beta.withMean(pooled(verifyOk, verifyTrials), strength),
                latency);
    }

    private static double pooled(long successes, long trials) {
        return (1.0 + successes) / (2.0 + trials);
    }

    private static Observation observation(ProviderKey key, AttemptResult result, Instant at) {
        return switch (result) {
            case AttemptResult.LeaseFailed f -> Observation.leaseFailed(key, at);
            case AttemptResult.JobFailed f -> Observation.of(key, f.outcome(), f.latency(), at);
            case AttemptResult.Rejected r -> Observation.of(key, r.outcome(), r.latency(), at);
            case AttemptResult.Verified v -> Observation.of(key, v.outcome(), v.latency(), at);
        };
    }

    private record Population(Beta lease, Beta job, Beta verify, Duration latency) {}
}
