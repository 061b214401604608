package dev.forage.policies.internal;

import dev.forage.policies.ledger.Reservation;
import dev.forage.policies.spi.LedgerStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps reservations in a map; every write is "durable" at once. */
public final class InMemoryLedgerStore implements LedgerStore {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Map<String, Reservation> byId = new ConcurrentHashMap<>();

    @Override
    public List<Reservation> recover() {
        return List.copyOf(byId.values());
    }

    @Override
    public CompletableFuture<Void> write(Reservation reservation) {
        byId.put(reservation.intentId(), reservation);
        return DONE;
    }

    @Override
    public void close() {
        // Nothing to release: the map stays readable so a ledger can be reopened over it.
    }
}
