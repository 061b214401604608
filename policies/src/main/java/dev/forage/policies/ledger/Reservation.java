package dev.forage.policies.ledger;

import dev.forage.policies.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A two-phase transfer in the budget ledger: created pending by a reserve, then resolved at
 * most once, by a post, a void, or expiry. Immutable: each transition is a new value.
 *
 * @param intentId the idempotency key
 * @param amount the reserved upper bound
 * @param budgets the budgets it counts against
 * @param ttl how long it holds while pending
 * @param createdAt when it was reserved; decides which calendar period and rolling window
 *     the amount counts in
 * @param expiresAt {@code createdAt + ttl}: from this instant on a pending reservation is
 *     expired
 * @param state where it is in its life
 * @param posted the amount posted; zero unless {@code state} is {@link State#POSTED}
 * @param resolvedAt when it was posted, voided or expired
 */
public record Reservation(
        String intentId,
        Money amount,
        List<BudgetLine> budgets,
        Duration ttl,
        Instant createdAt,
        Instant expiresAt,
        State state,
        Money posted,
        Optional<Instant> resolvedAt) {

    public Reservation {
        Objects.requireNonNull(intentId, "intentId");
        Objects.requireNonNull(amount, "amount");
        budgets = List.copyOf(budgets);
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(posted, "posted");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
    }

    /** The ledger accounts it counts in, one per budget line, in the same order. */
    public List<String> accounts() {
        return budgets.stream().map(b -> b.account(createdAt)).toList();
    }

    /** Whether it still holds funds. */
    public boolean isPending() {
        return state == State.PENDING;
    }

    /** The same reservation resolved into {@code next} at {@code at}. */
    public Reservation resolve(State next, Money postedAmount, Instant at) {
        return new Reservation(intentId, amount, budgets, ttl, createdAt, expiresAt, next, postedAmount, Optional.of(at));
    }

    /** Where a reservation is in its life. Every state but {@link #PENDING} is final. */
    public enum State {
        PENDING,
        POSTED,
        VOIDED,
        EXPIRED
    }
}
