package dev.forage.policies.spi;

import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.Money;
import dev.forage.policies.ledger.BudgetLine;
import dev.forage.policies.ledger.BudgetWindow;
import dev.forage.policies.ledger.Reservation;
import dev.forage.policies.ledger.Reservation.State;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The {@link LedgerStore} contract; each implementation subclasses it. */
public abstract class LedgerStoreContract {

    /** A store over the same durable location every time it is called. */
    protected abstract LedgerStore openStore();

    static Reservation pending(String id, String amount) {
        Instant t = Instant.parse("2026-03-02T10:00:00.123Z");
        return new Reservation(id, usdc(amount),
                List.of(
                        BudgetLine.of("daily", usdc("10"), new BudgetWindow.Calendar(BudgetWindow.Period.DAY, ZoneId.of("Europe/Berlin"))),
                        new BudgetLine("per_provider", "provider-a", usdc("5"), new BudgetWindow.Rolling(Duration.ofHours(24))),
                        BudgetLine.of("total", usdc("100"), new BudgetWindow.Lifetime())),
                Duration.ofMinutes(10), t, t.plus(Duration.ofMinutes(10)), State.PENDING, Money.zero(usdc("1").asset()),
                Optional.empty());
    }

    @Test
    void recovers_exactly_what_was_written() {
        Reservation r = pending("i1", "2.50");
        try (LedgerStore store = openStore()) {
            store.write(r).join();
        }

        try (LedgerStore store = openStore()) {
            assertThat(store.recover()).containsExactly(r);
        }
    }

    @Test
    void the_last_write_of_an_id_wins() {
        Reservation r = pending("i1", "2.50");
        Reservation posted = r.resolve(State.POSTED, usdc("1.25"), r.createdAt().plusSeconds(5));
        try (LedgerStore store = openStore()) {
            CompletableFuture<Void> a = store.write(r);
            CompletableFuture<Void> b = store.write(posted);
            CompletableFuture.allOf(a, b).join();
        }

        try (LedgerStore store = openStore()) {
            assertThat(store.recover()).containsExactly(posted);
        }
    }

    @Test
    void many_concurrent_writes_are_all_durable() throws Exception {
        List<Reservation> written = new ArrayList<>();
        try (LedgerStore store = openStore()) {
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 50; i++) {
                        futures.add(store.write(pending("t" + thread + "-" + i, "1")));
                    }
                }));
                for (int i = 0; i < 50; i++) {
                    written.add(pending("t" + t + "-" + i, "1"));
                }
            }
            for (Thread t : threads) {
                t.join();
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        }

        try (LedgerStore store = openStore()) {
            assertThat(store.recover()).containsExactlyInAnyOrderElementsOf(written);
        }
    }

    @Test
    void an_empty_store_recovers_nothing() {
        try (LedgerStore store = openStore()) {
            assertThat(store.recover()).isEmpty();
        }
    }
}
