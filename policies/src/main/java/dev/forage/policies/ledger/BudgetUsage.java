package dev.forage.policies.ledger;

import dev.forage.policies.Money;
import java.util.Objects;

/**
 * How much of one budget account is used now.
 *
 * @param account the ledger account (budget, split and window period)
 * @param limit the budget's limit
 * @param spent the posted amounts counting in the current window
 * @param reserved the pending reservations counting against the limit
 */
public record BudgetUsage(String account, Money limit, Money spent, Money reserved) {

    public BudgetUsage {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(spent, "spent");
        Objects.requireNonNull(reserved, "reserved");
    }

    /** {@code limit - spent - reserved}, or zero when the account is at or over its limit. */
    public Money remaining() {
        return limit.minusOrZero(spent.plus(reserved));
    }
}
