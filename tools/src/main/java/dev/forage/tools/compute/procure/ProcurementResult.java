package dev.forage.tools.compute.procure;

import dev.forage.policies.Money;
import dev.forage.tools.compute.Offer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** How {@link Procurement#procure} ended for one job: verified, or given up. */
public sealed interface ProcurementResult {

    /** The job. */
    Job job();

    /** Every attempt, in order. */
    List<Attempt> attempts();

    /** What the providers billed over all attempts, in the job's billing asset. */
    default Money charged() {
        Money sum = Money.zero(job().verificationCost().asset());
        for (Attempt a : attempts()) {
            sum = sum.plus(a.result().charged());
        }
        return sum;
    }

    /**
     * The job ended with a verified result, from the last attempt.
     *
     * @param job the job
     * @param attempts every attempt; the last one verified
     */
    record Verified(Job job, List<Attempt> attempts) implements ProcurementResult {
        public Verified {
            Objects.requireNonNull(job, "job");
            attempts = List.copyOf(attempts);
            if (attempts.isEmpty() || !(attempts.getLast().result() instanceof AttemptResult.Verified)) {
                throw new IllegalArgumentException("a verified procurement of job " + job.id() + " ends in a verified attempt");
            }
        }

        /** The offer that delivered the verified result. */
        public Offer offer() {
            return attempts.getLast().offer();
        }
    }

    /**
     * The job was given up: attempts ran out, or no offer was left to try.
     *
     * @param job the job
     * @param attempts every attempt made
     * @param reason why it stopped, for people
     */
    record Exhausted(Job job, List<Attempt> attempts, String reason) implements ProcurementResult {
        public Exhausted {
            Objects.requireNonNull(job, "job");
            attempts = List.copyOf(attempts);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * One attempt.
     *
     * @param number its number within the job, from 1
     * @param offer the offer tried
     * @param score the score it was chosen by (a Thompson draw)
     * @param result how it ended
     * @param start when it started, by the procurement's clock
     * @param end when it ended
     */
    record Attempt(int number, Offer offer, Score score, AttemptResult result, Instant start, Instant end) {
        public Attempt {
            Objects.requireNonNull(offer, "offer");
            Objects.requireNonNull(score, "score");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }
    }
}
