package dev.forage.policies.spi;

import dev.forage.policies.ledger.Reservation;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link dev.forage.policies.ledger.BudgetLedger} keeps its reservations. The ledger
 * holds the authoritative state in memory and hands every change to the store as the
 * reservation's new state; the store makes it durable and completes the returned future.
 *
 * <p>Contract, checked by {@code LedgerStoreContract} for every implementation:
 * <ul>
 *   <li>{@link #write} is called in the order changes happen and must not block on I/O; the
 *       store applies writes in that order, so the last write for an id wins;
 *   <li>the future completes only when the write, and every write before it, is durable;
 *       it completes exceptionally when the write failed, and then every later write fails
 *       too (the ledger reopens from the durable state);
 *   <li>{@link #recover} returns the latest durable state of every reservation ever written;
 *       a write is never partly recovered.
 * </ul>
 * A PostgreSQL implementation can take this place for a shared ledger. The stores Forage ships
 * are made by {@link dev.forage.policies.ledger.LedgerStores}.
 */
public interface LedgerStore extends AutoCloseable {

    /** The latest durable state of every reservation, in no particular order. */
    List<Reservation> recover();

    /**
     * Makes {@code reservation}'s state durable, replacing any earlier state of its id.
     *
     * @return completes when durable; exceptionally when it cannot be
     */
    CompletableFuture<Void> write(Reservation reservation);

    /** Waits for queued writes and releases resources. */
    @Override
    void close();
}
