package dev.forage.policies.approval;

import java.time.Instant;
import java.util.Objects;

/** Where an approval request stands. Only {@link Approved} lets the spend go ahead. */
public sealed interface ApprovalStatus {

    /** Waiting for an approver. */
    record Pending() implements ApprovalStatus {}

    /**
     * Approved, for the bound intent only, until the request expires.
     *
     * @param approverId who approved
     * @param reason why
     * @param at when
     */
    record Approved(String approverId, String reason, Instant at) implements ApprovalStatus {
        public Approved {
            Objects.requireNonNull(approverId, "approverId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Denied by an approver, or refused by the inbox (e.g. the request is bound to another
     * intent; then {@code approverId} is {@code forage}).
     *
     * @param approverId who denied
     * @param reason why
     * @param at when
     */
    record Denied(String approverId, String reason, Instant at) implements ApprovalStatus {
        public Denied {
            Objects.requireNonNull(approverId, "approverId");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The request expired; this counts as denied (fail closed).
     *
     * @param at when it expired
     */
    record Expired(Instant at) implements ApprovalStatus {
        public Expired {
            Objects.requireNonNull(at, "at");
        }
    }
}
