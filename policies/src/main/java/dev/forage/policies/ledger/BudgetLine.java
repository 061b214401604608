package dev.forage.policies.ledger;

import dev.forage.policies.InvalidValueException;
import dev.forage.policies.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * One budget an intent falls under, as the ledger needs it: which budget, which split of it
 * (e.g. the counterparty, for "at most 20 USDC a day to any single provider"), its limit and
 * its window. The policy engine computes these for an intent
 * ({@code PolicyEngine.budgetsFor}); the ledger turns each into an account.
 *
 * @param budgetId the budget's id in the policy, an identifier
 * @param split the value the budget is split by (a counterparty, action or market), or ""
 *     when the budget is not split
 * @param limit the most that may be spent plus reserved in one window
 * @param window the period the limit applies to
 */
public record BudgetLine(String budgetId, String split, Money limit, BudgetWindow window) {

    public BudgetLine {
        Objects.requireNonNull(budgetId, "budgetId");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(window, "window");
        if (!isIdentifier(budgetId)) {
            throw new InvalidValueException(
                    "budget id '" + budgetId + "' is not an identifier: use letters, digits and '_', starting with a letter");
        }
    }

    // A loop rather than a regex: lines are built on every decision.
    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** A budget that is not split. */
    public static BudgetLine of(String budgetId, Money limit, BudgetWindow window) {
        return new BudgetLine(budgetId, "", limit, window);
    }

    /** The budget and split, without limit or window: what identifies it across policy reloads. */
    public String ref() {
        return split.isEmpty() ? budgetId : budgetId + "[" + split + "]";
    }

    /** The ledger account an entry made at {@code at} counts in. */
    public String account(Instant at) {
        return ref() + window.accountSuffix(at);
    }
}
