package dev.forage.runtime.pipeline;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A case where money and books may disagree, for an operator to reconcile.
 *
 * @param intentId the intent
 * @param agent the agent that spent
 * @param kind what happened
 * @param paid what moved, when known
 * @param detail what happened, in a sentence or two
 * @param at when it was found
 */
public record Discrepancy(String intentId, String agent, Kind kind, Optional<Paid> paid, String detail, Instant at) {

    public Discrepancy {
        Objects.requireNonNull(intentId, "intentId");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(paid, "paid");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }

    /** What kind of discrepancy. */
    public enum Kind {
        /** Money moved but the ledger refused to post it: the budget does not count it. */
        POST_REFUSED_AFTER_PAYMENT,
        /** A payment was signed and its outcome is unknown: the whole reservation is counted as spent. */
        PAYMENT_IN_DOUBT
    }
}
