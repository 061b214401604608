package dev.forage.tools.compute.procure;

import dev.forage.policies.Money;
import dev.forage.tools.compute.Offer;
import java.time.Duration;
import java.util.Objects;

/**
 * How one attempt at a job on one offer ended, as a {@link JobRunner} reports it.
 * {@code latency} is always the provider's startup latency (lease request to serving).
 * {@code charged} is what the provider billed for the attempt (a verdict-gated settlement pays
 * nothing for a rejected result; a market that bills by time charges a failed job for the time
 * it ran, at least its minimum charge).
 */
public sealed interface AttemptResult {

    /** What the provider billed for this attempt. */
    Money charged();

    /** The outcome, as the statistics count it. */
    Observation.Outcome outcome();

    /**
     * The lease was refused, timed out or never came up.
     *
     * @param charged what the provider billed (zero on every market known: no lease, no bill)
     * @param reason why, for people
     */
    record LeaseFailed(Money charged, String reason) implements AttemptResult {
        public LeaseFailed {
            Objects.requireNonNull(charged, "charged");
            Objects.requireNonNull(reason, "reason");
        }

        /** A lease on {@code offer} that failed for {@code reason} and cost nothing. */
        public static LeaseFailed of(Offer offer, String reason) {
            return new LeaseFailed(Money.zero(offer.pricePerHour().asset()), reason);
        }

        @Override
        public Observation.Outcome outcome() {
            return Observation.Outcome.LEASE_FAILED;
        }
    }

    /**
     * The lease came up but the job did not finish.
     *
     * @param latency the startup latency
     * @param charged what the provider billed
     * @param reason why, for people
     */
    record JobFailed(Duration latency, Money charged, String reason) implements AttemptResult {
        public JobFailed {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(charged, "charged");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Observation.Outcome outcome() {
            return Observation.Outcome.JOB_FAILED;
        }
    }

    /**
     * The job finished and its result failed verification.
     *
     * @param latency the startup latency
     * @param charged what the provider billed (zero when settlement waits for the verdict)
     * @param reason what verification found
     */
    record Rejected(Duration latency, Money charged, String reason) implements AttemptResult {
        public Rejected {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(charged, "charged");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Observation.Outcome outcome() {
            return Observation.Outcome.VERIFICATION_FAILED;
        }
    }

    /**
     * The job finished and its result passed verification.
     *
     * @param latency the startup latency
     * @param charged what the provider billed
     */
    record Verified(Duration latency, Money charged) implements AttemptResult {
        public Verified {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(charged, "charged");
        }

        @Override
        public Observation.Outcome outcome() {
            return Observation.Outcome.VERIFIED;
        }
    }
}
