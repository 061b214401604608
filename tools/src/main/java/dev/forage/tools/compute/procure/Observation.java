package dev.forage.tools.compute.procure;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one attempt at a job on one provider ended in, as fed into {@link ProviderStatsStore}.
 * One attempt is one lease request; it ends in exactly one {@link Outcome}.
 *
 * @param key the provider
 * @param outcome how the attempt ended
 * @param latency the provider's startup latency: from the lease request until the workload
 *     served (a lease that never came up has none)
 * @param at when the attempt ended
 */
public record Observation(ProviderKey key, Outcome outcome, Optional<Duration> latency, Instant at) {

    public Observation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(at, "at");
        if (latency.isPresent() && latency.get().isNegative()) {
            throw new IllegalArgumentException("observation of " + key + ": latency " + latency.get() + " must not be negative");
        }
        if (latency.isPresent() && outcome == Outcome.LEASE_FAILED) {
            throw new IllegalArgumentException("observation of " + key
                    + ": a lease that failed never served, so it has no latency; pass Optional.empty()");
        }
    }

    /** An attempt whose lease came up, with its startup latency. */
    public static Observation of(ProviderKey key, Outcome outcome, Duration latency, Instant at) {
        return new Observation(key, outcome, Optional.of(latency), at);
    }

    /** An attempt whose lease was refused or never came up. */
    public static Observation leaseFailed(ProviderKey key, Instant at) {
        return new Observation(key, Outcome.LEASE_FAILED, Optional.empty(), at);
    }

    /** How an attempt ended. Each attempt counts as one lease attempt. */
    public enum Outcome {
        /** The lease was refused, timed out or never came up: a lease failure. */
        LEASE_FAILED,
        /** The lease came up but the job did not finish (interruption, crash, outage): a job failure. */
        JOB_FAILED,
        /** The job finished and its result failed verification: a job success and a verification failure. */
        VERIFICATION_FAILED,
        /** The job finished and its result passed verification: a job success and a verification pass. */
        VERIFIED,
        /** The job finished and its result was not checked: a job success only. */
        COMPLETED_UNVERIFIED
    }
}
