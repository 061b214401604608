package dev.forage.policies.ledger;

import dev.forage.policies.Money;
import java.util.Objects;

/** What a reserve did. */
public sealed interface ReserveResult {

    /** The intent id the request was for. */
    String intentId();

    /**
     * The amount is reserved against every budget (or was already, by an identical earlier
     * request: then this is that reservation in its current state).
     *
     * @param reservation the reservation
     */
    record Reserved(Reservation reservation) implements ReserveResult {
        public Reserved {
            Objects.requireNonNull(reservation, "reservation");
        }

        @Override
        public String intentId() {
            return reservation.intentId();
        }
    }

    /**
     * Nothing was reserved: one budget lacks room. Not recorded, so the same request can be
     * retried once room frees up.
     *
     * @param intentId the intent id
     * @param requested the amount asked for
     * @param budget the first budget without room
     * @param usage that budget's usage when the request was refused
     */
    record Exceeded(String intentId, Money requested, BudgetLine budget, BudgetUsage usage)
            implements ReserveResult {
        public Exceeded {
            Objects.requireNonNull(intentId, "intentId");
            Objects.requireNonNull(requested, "requested");
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(usage, "usage");
        }

        /** A sentence for logs and reasons. */
        public String describe() {
            return "reserving " + requested + " for " + intentId + " would exceed budget " + budget.ref() + " (limit "
                    + usage.limit() + ", spent " + usage.spent() + ", reserved " + usage.reserved() + ", remaining "
                    + usage.remaining() + ")";
        }
    }
}
