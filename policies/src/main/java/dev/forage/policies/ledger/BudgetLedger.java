package dev.forage.policies.ledger;

import dev.forage.policies.IdempotencyConflictException;
import dev.forage.policies.InvalidValueException;
import dev.forage.policies.LedgerUnavailableException;
import dev.forage.policies.Money;
import dev.forage.policies.internal.DefaultBudgetLedger;
import dev.forage.policies.internal.SqliteLedgerStore;
import dev.forage.policies.spi.LedgerStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A two-phase budget ledger after TigerBeetle. {@link #reserve} holds an upper bound against
 * every budget an intent falls under, atomically; then exactly one of {@link #post} (spend at
 * most the reserved amount, release the rest), {@link #voidReservation} (release it all) or
 * expiry resolves it. Pending reservations count against limits until resolved, so spent plus
 * reserved never exceeds a limit, under any interleaving of threads.
 *
 * <p>Every call is idempotent by intent id: repeating it with the same arguments returns the
 * first result; the same id with different arguments throws
 * {@link IdempotencyConflictException}. A call returns only once its effect is durable in the
 * {@link LedgerStore}. Thread-safe.
 */
public interface BudgetLedger extends AutoCloseable {

    /**
     * Reserves {@code request.amount()} against every budget line, or nothing.
     *
     * @return {@link ReserveResult.Reserved} or {@link ReserveResult.Exceeded}
     * @throws IdempotencyConflictException when the id was reserved with another amount, ttl or
     *     set of budgets
     * @throws LedgerUnavailableException when the store failed or the ledger is closed
     */
    ReserveResult reserve(ReserveRequest request);

    /**
     * Posts {@code actual} (at most the reserved amount) and releases the rest.
     *
     * @return {@link ResolveResult.Posted}, or {@link ResolveResult.Refused} when the id is
     *     unknown, voided, expired, or {@code actual} exceeds the reservation
     * @throws IdempotencyConflictException when the id was already posted with another amount
     * @throws InvalidValueException when {@code actual} is in another asset
     * @throws LedgerUnavailableException when the store failed or the ledger is closed
     */
    ResolveResult post(String intentId, Money actual);

    /**
     * Voids a pending reservation, releasing all of it.
     *
     * @return {@link ResolveResult.Voided}, or {@link ResolveResult.Refused} when the id is
     *     unknown, posted or expired
     * @throws LedgerUnavailableException when the store failed or the ledger is closed
     */
    ResolveResult voidReservation(String intentId);

    /**
     * Expires every pending reservation whose time is up. Every other call does this first
     * too; call it on a timer to release funds promptly when the ledger is idle.
     *
     * @return how many expired
     */
    int expireDue();

    /** The usage of the account {@code line} maps to now. */
    BudgetUsage usage(BudgetLine line);

    /** The reservation with this id, in its current state. */
    Optional<Reservation> find(String intentId);

    /** Every pending reservation, oldest first. */
    List<Reservation> pending();

    /** Stops the ledger and its store; later calls throw {@link LedgerUnavailableException}. */
    @Override
    void close();

    /** A ledger that keeps everything in memory and forgets it when the process ends. */
    static BudgetLedger inMemory(Clock clock) {
        return open(LedgerStores.inMemory(), clock);
    }

    /**
     * A ledger over {@code store}, recovering every reservation it holds: posted entries count
     * again in their windows, pending ones hold again until their original expiry.
     */
    static BudgetLedger open(LedgerStore store, Clock clock) {
        return new DefaultBudgetLedger(store, clock);
    }

    /**
     * A durable ledger in a SQLite file (WAL, synchronous commits, group commit), created if
     * missing. See {@link LedgerStores#sqlite(Path)}.
     */
    static BudgetLedger sqlite(Path file, Clock clock) {
        return open(SqliteLedgerStore.open(file), clock);
    }
}
