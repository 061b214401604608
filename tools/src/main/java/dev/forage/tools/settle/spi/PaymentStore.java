package dev.forage.tools.settle.spi;

import java.util.List;
import java.util.Optional;

/**
 * Durable write-ahead records of payments, one per idempotency key. A write must be durable
 * when {@link #put} returns: the executor broadcasts a transaction only after its record is
 * stored. Implementations must be thread-safe; one process at a time pays from one key.
 */
public interface PaymentStore extends AutoCloseable {

    /** The record for {@code key}, if any. */
    Optional<PaymentRecord> find(String key);

    /** Stores {@code record}, replacing any earlier record with the same key. */
    void put(PaymentRecord record);

    /** Every record whose outcome is not known yet ({@link PaymentRecord.State#inFlight()}). */
    List<PaymentRecord> inFlight();

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {}
}
