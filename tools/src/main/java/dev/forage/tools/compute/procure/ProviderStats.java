package dev.forage.tools.compute.procure;

import dev.forage.policies.CounterpartyStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What has been observed of one provider: counts of each attempt outcome, the startup latency
 * and when it was last seen. Values are immutable; {@link #apply} gives the next one.
 *
 * <p>The counters nest: every attempt is a lease attempt; an attempt whose lease came up is a
 * job, which succeeded (a result came back) or failed; a result that was checked passed or
 * failed verification. So {@code leaseFailures + jobSuccesses + jobFailures == leaseAttempts}
 * and {@code verificationPasses + verificationFailures <= jobSuccesses}.
 *
 * <p><b>Latency estimator.</b> An exponentially weighted moving average of the startup latency
 * (lease request to serving), in milliseconds, with weight {@value #LATENCY_ALPHA} on the newest
 * sample ({@code m ← m + α·(x − m)}; the first sample sets {@code m}). A sample's weight halves
 * after about three newer ones, so the estimate follows a provider that gets slower within a
 * handful of jobs, while one slow start moves it by a fifth of the difference. An EWMA needs two
 * numbers of state, which keeps the SQLite row fixed-size; percentiles would need a reservoir.
 *
 * @param key the provider
 * @param leaseAttempts attempts made (each asks for one lease)
 * @param leaseFailures attempts whose lease was refused or never came up
 * @param jobSuccesses attempts whose job finished with a result
 * @param jobFailures attempts whose lease came up but whose job did not finish
 * @param verificationPasses results that passed verification
 * @param verificationFailures results that failed verification
 * @param latencySamples how many startup latencies the average is over
 * @param latencyEwmaMillis the moving average of the startup latency in milliseconds (0 with no samples)
 * @param lastSeen when the provider was last observed, if ever
 */
public record ProviderStats(ProviderKey key, long leaseAttempts, long leaseFailures, long jobSuccesses, long jobFailures,
        long verificationPasses, long verificationFailures, long latencySamples, double latencyEwmaMillis,
        Optional<Instant> lastSeen) {

    /** The weight of the newest latency sample in the moving average. */
    public static final double LATENCY_ALPHA = 0.2;

    public ProviderStats {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (leaseAttempts < 0 || leaseFailures < 0 || jobSuccesses < 0 || jobFailures < 0 || verificationPasses < 0
                || verificationFailures < 0 || latencySamples < 0) {
            throw new IllegalArgumentException("stats of " + key + ": counts must not be negative, got attempts " + leaseAttempts
                    + ", lease failures " + leaseFailures + ", job successes " + jobSuccesses + ", job failures " + jobFailures
                    + ", verification passes " + verificationPasses + ", verification failures " + verificationFailures
                    + ", latency samples " + latencySamples);
        }
        if (leaseFailures + jobSuccesses + jobFailures != leaseAttempts) {
            throw new IllegalArgumentException("stats of " + key + ": lease failures " + leaseFailures + " + job successes "
                    + jobSuccesses + " + job failures " + jobFailures + " must equal lease attempts " + leaseAttempts);
        }
        if (verificationPasses + verificationFailures > jobSuccesses) {
            throw new IllegalArgumentException("stats of " + key + ": verification passes " + verificationPasses
                    + " + failures " + verificationFailures + " must not exceed job successes " + jobSuccesses);
        }
        if (!(latencyEwmaMillis >= 0.0) || Double.isInfinite(latencyEwmaMillis)) {
            throw new IllegalArgumentException("stats of " + key + ": latency average " + latencyEwmaMillis
                    + " ms must be a finite number, 0 or more");
        }
    }

    /** Nothing observed of {@code key} yet. */
    public static ProviderStats empty(ProviderKey key) {
        return new ProviderStats(key, 0, 0, 0, 0, 0, 0, 0, 0.0, Optional.empty());
    }

    /**
     * These stats with {@code o} counted in.
     *
     * @throws IllegalArgumentException when {@code o} is about another provider
     */
    public ProviderStats apply(Observation o) {
        if (!o.key().equals(key)) {
            throw new IllegalArgumentException("observation of " + o.key() + " applied to the stats of " + key);
        }
        long leaseFail = leaseFailures;
        long jobOk = jobSuccesses;
        long jobFail = jobFailures;
        long pass = verificationPasses;
        long fail = verificationFailures;
        switch (o.outcome()) {
            case LEASE_FAILED -> leaseFail++;
            case JOB_FAILED -> jobFail++;
            case VERIFICATION_FAILED -> {
                jobOk++;
                fail++;
            }
            case VERIFIED -> {
                jobOk++;
                pass++;
            }
            case COMPLETED_UNVERIFIED -> jobOk++;
        }
        long samples = latencySamples;
        double ewma = latencyEwmaMillis;
        if (o.latency().isPresent()) {
            double x = o.latency().get().toNanos() / 1e6;
            ewma = samples == 0 ? x : ewma + LATENCY_ALPHA * (x - ewma);
            samples++;
        }
        Instant seen = lastSeen.filter(s -> s.isAfter(o.at())).orElse(o.at());
        return new ProviderStats(key, leaseAttempts + 1, leaseFail, jobOk, jobFail, pass, fail, samples, ewma,
                Optional.of(seen));
    }

    /** Attempts whose lease came up. */
    public long leases() {
        return leaseAttempts - leaseFailures;
    }

    /** The moving average of the startup latency, once there is a sample. */
    public Optional<Duration> latency() {
        return latencySamples == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(latencyEwmaMillis * 1e6)));
    }

    /**
     * These stats as the policy engine sees a counterparty, without reputation:
     * {@code observations} = lease attempts, {@code successRate} = verification passes / lease
     * attempts (the share of attempts that ended verified; 0 with none), {@code verificationFailures}
     * as counted, {@code reputation} 0 (as {@link CounterpartyStats#unknown()}).
     */
    public CounterpartyStats counterparty() {
        return new CounterpartyStats(leaseAttempts, verifiedShare(), verificationFailures, 0.0);
    }

    /**
     * As {@link #counterparty()}, with the reputation score from {@code prior} (its average
     * ERC-8004 score, 0 to 100).
     */
    public CounterpartyStats counterparty(ReputationPrior.Prior prior) {
        return new CounterpartyStats(leaseAttempts, verifiedShare(), verificationFailures, prior.averageScore());
    }

    private double verifiedShare() {
        return leaseAttempts == 0 ? 0.0 : (double) verificationPasses / leaseAttempts;
    }
}
