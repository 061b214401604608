package dev.forage.policies.ledger;

import dev.forage.policies.InvalidValueException;
import dev.forage.policies.Money;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A request to reserve an amount against every budget an intent falls under.
 *
 * @param intentId the idempotency key: the intent's id
 * @param amount the upper bound to reserve
 * @param budgets every budget the intent falls under (possibly none), each at most once
 * @param ttl how long the reservation holds before it expires, positive
 */
public record ReserveRequest(String intentId, Money amount, List<BudgetLine> budgets, Duration ttl) {

    public ReserveRequest {
        Objects.requireNonNull(intentId, "intentId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(ttl, "ttl");
        budgets = List.copyOf(budgets);
        if (intentId.isBlank()) {
            throw new InvalidValueException("reserve: intent id is blank: pass the intent's id");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidValueException("reserve " + intentId + ": ttl " + ttl + " must be positive");
        }
        Set<String> refs = new HashSet<>();
        for (BudgetLine line : budgets) {
            if (!line.limit().asset().equals(amount.asset())) {
                throw new InvalidValueException(
                        "reserve " + intentId + ": amount " + amount + " is in " + amount.asset() + " but budget "
                                + line.budgetId() + " is in " + line.limit().asset() + ": budget lines must match the amount's asset");
            }
            if (!refs.add(line.ref())) {
                throw new InvalidValueException("reserve " + intentId + ": budget " + line.ref() + " is listed twice");
            }
        }
    }
}
