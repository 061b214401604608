package dev.forage.policies;

import java.util.Objects;

/**
 * One budget's state at decision time, for a budget the intent falls under.
 *
 * @param budgetId the budget's id
 * @param account the ledger account: budget, split and window period
 * @param limit the limit
 * @param spent posted in the current window
 * @param reserved held by pending reservations
 * @param remaining {@code limit - spent - reserved}, at least zero
 */
public record BudgetHeadroom(String budgetId, String account, Money limit, Money spent, Money reserved, Money remaining) {

    public BudgetHeadroom {
        Objects.requireNonNull(budgetId, "budgetId");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(spent, "spent");
        Objects.requireNonNull(reserved, "reserved");
        Objects.requireNonNull(remaining, "remaining");
    }

    @Override
    public String toString() {
        return account + ": " + remaining + " of " + limit + " left (spent " + spent + ", reserved " + reserved + ")";
    }
}
