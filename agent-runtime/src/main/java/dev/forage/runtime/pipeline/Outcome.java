package dev.forage.runtime.pipeline;

import dev.forage.policies.Decision;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.approval.ApprovalRequest;
import dev.forage.policies.ledger.Reservation;
import dev.forage.policies.ledger.ResolveResult;
import dev.forage.tools.verify.Verdict;
import java.util.Objects;
import java.util.Optional;

/**
 * How one governed action ended. Only {@link Done} is a success; every other outcome says
 * what did and did not happen to the money, and each has its audit entries.
 *
 * @param <T> the result type of the action
 */
public sealed interface Outcome<T> {

    /** The intent. */
    SpendIntent intent();

    /** The outcome's name in audit entries and summaries, e.g. {@code done}. */
    String wireName();

    /** Whether the action succeeded: paid (if it cost anything), posted and, if verified, passed. */
    default boolean succeeded() {
        return this instanceof Done;
    }

    /** What moved, if anything. */
    default Optional<Paid> paid() {
        return Optional.empty();
    }

    /** The policy denied the intent; nothing was reserved or signed. */
    record Refused<T>(SpendIntent intent, Decision decision) implements Outcome<T> {
        public Refused {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(decision, "decision");
        }

        @Override
        public String wireName() {
            return "refused";
        }
    }

    /**
     * A person must approve the intent and has not yet; nothing was reserved or signed. Run the
     * same intent again once {@code request} is approved.
     */
    record AwaitingApproval<T>(SpendIntent intent, ApprovalRequest request) implements Outcome<T> {
        public AwaitingApproval {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(request, "request");
        }

        @Override
        public String wireName() {
            return "awaiting_approval";
        }
    }

    /** A budget had no room for the amount; nothing was signed. */
    record OverBudget<T>(SpendIntent intent, String why) implements Outcome<T> {
        public OverBudget {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String wireName() {
            return "over_budget";
        }
    }

    /**
     * This intent was run and posted before: the recorded posting is returned and nothing is
     * paid again.
     *
     * @param posting the reservation as posted, with the amount and time
     */
    record Replayed<T>(SpendIntent intent, Reservation posting) implements Outcome<T> {
        public Replayed {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(posting, "posting");
        }

        @Override
        public String wireName() {
            return "replayed";
        }
    }

    /**
     * This intent was voided or expired before: it is refused, nothing is paid. A new attempt
     * needs a new intent id.
     */
    record ReplayRefused<T>(SpendIntent intent, Reservation reservation) implements Outcome<T> {
        public ReplayRefused {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(reservation, "reservation");
        }

        @Override
        public String wireName() {
            return "replay_refused";
        }
    }

    /**
     * A step failed. When nothing moved, the reservation was voided; when the execution had
     * already paid up front ({@code paid} present), that payment was posted.
     *
     * @param step the failing step's name
     */
    record Failed<T>(SpendIntent intent, String step, Exception error, Optional<Paid> paid) implements Outcome<T> {
        public Failed {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(paid, "paid");
        }

        @Override
        public String wireName() {
            return "failed";
        }
    }

    /**
     * The action stopped before money could move because a precondition failed (the audit log
     * could not make the decision durable, say); the reservation was voided.
     */
    record Aborted<T>(SpendIntent intent, String why) implements Outcome<T> {
        public Aborted {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String wireName() {
            return "aborted";
        }
    }

    /**
     * The result failed verification: nothing more was paid and the reservation was released,
     * less what the execution had paid up front ({@code paid}), which was posted.
     */
    record Rejected<T>(SpendIntent intent, T result, Verdict.Fail verdict, Optional<Paid> paid) implements Outcome<T> {
        public Rejected {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(paid, "paid");
        }

        @Override
        public String wireName() {
            return "rejected";
        }
    }

    /**
     * A payment was signed and then the step failed in a way that does not show whether money
     * moved. The whole reservation was posted (the budget counts it as spent) and the case is
     * reported as a discrepancy for an operator to reconcile. Running the same intent again
     * returns {@link Replayed}; the payment tools never sign a second payment for the same id.
     */
    record InDoubt<T>(SpendIntent intent, String step, Exception error) implements Outcome<T> {
        public InDoubt {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String wireName() {
            return "in_doubt";
        }
    }

    /**
     * Money moved but the ledger refused to post it (the reservation had expired, or the amount
     * was above it). Never a success: the case is audited and reported as a discrepancy.
     */
    record Discrepancy<T>(SpendIntent intent, Paid payment, String why) implements Outcome<T> {
        public Discrepancy {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(payment, "payment");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String wireName() {
            return "post_refused_after_payment";
        }

        @Override
        public Optional<Paid> paid() {
            return Optional.of(payment);
        }
    }

    /**
     * The action succeeded: the result was obtained, verified when a verifier was given, paid
     * for and posted.
     *
     * @param paid what moved; empty when the action cost nothing (then the reservation was voided)
     * @param verdict the verdict, when the action was verified
     */
    record Done<T>(SpendIntent intent, T result, Optional<Paid> paid, Optional<Verdict> verdict) implements Outcome<T> {
        public Done {
            Objects.requireNonNull(intent, "intent");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(paid, "paid");
            Objects.requireNonNull(verdict, "verdict");
        }

        @Override
        public String wireName() {
            return "done";
        }
    }

    /** Explains a ledger refusal for a discrepancy. */
    static String describe(ResolveResult.Refused refused) {
        return "the ledger refused to post intent " + refused.intentId() + ": " + refused.refusal()
                + refused.reservation().map(r -> " (reservation " + r.state() + ", reserved " + r.amount()
                        + ", expired at " + r.expiresAt() + ")").orElse("");
    }
}
