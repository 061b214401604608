package dev.forage.policies.ledger;

import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.ledger.Reservation.State;
import dev.forage.policies.spi.LedgerStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process in the middle of a burst of durable posts and checks that the reopened
 * ledger holds every post the process acknowledged, every pending reservation with its
 * original expiry, and nothing torn.
 */
class SqliteLedgerCrashIT {

    private static final int ACKS_BEFORE_KILL = 3000;

    @TempDir
    Path dir;

    @Test
    void a_killed_process_loses_no_acknowledged_post() throws Exception {
        Path db = dir.resolve("ledger.db");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"),
                        LedgerCrashChild.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Map<String, BigInteger> acked = new ConcurrentHashMap<>();
        Map<String, Instant> pending = new ConcurrentHashMap<>();
        CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (f.length != 4 || !f[3].equals(".")) {
                        continue; // cut off by the kill: not an acknowledgement
                    }
                    if (f[0].equals("ACK")) {
                        acked.put(f[1], new BigInteger(f[2]));
                        enough.countDown();
                    } else if (f[0].equals("PENDING")) {
                        pending.put(f[1], Instant.parse(f[2]));
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closes when the child dies
            }
        });

        boolean burst = enough.await(60, TimeUnit.SECONDS);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        assertThat(burst).as("the child acknowledged %s posts before the kill", ACKS_BEFORE_KILL).isTrue();
        assertThat(pending).hasSize(LedgerCrashChild.PENDING);

        // Every stored reservation decodes and is in a legal state.
        List<Reservation> stored;
        try (LedgerStore store = LedgerStores.sqlite(db)) {
            stored = store.recover();
        }
        for (Reservation r : stored) {
            assertThat(r.state()).isIn(State.PENDING, State.POSTED);
            assertThat(r.posted().units()).isLessThanOrEqualTo(r.amount().units());
            assertThat(r.budgets()).isEqualTo(LedgerCrashChild.LINES);
        }

        BudgetLedger ledger = BudgetLedger.sqlite(db, Clock.systemUTC());
        try {
            for (Map.Entry<String, BigInteger> ack : acked.entrySet()) {
                Reservation r = ledger.find(ack.getKey()).orElseThrow(() -> new AssertionError("lost post " + ack.getKey()));
                assertThat(r.state()).as(ack.getKey()).isEqualTo(State.POSTED);
                assertThat(r.posted().units()).as(ack.getKey()).isEqualTo(ack.getValue());
            }
            for (Map.Entry<String, Instant> p : pending.entrySet()) {
                Reservation r = ledger.find(p.getKey()).orElseThrow();
                assertThat(r.state()).isEqualTo(State.PENDING);
                assertThat(r.expiresAt()).isEqualTo(p.getValue());
            }
            // The accounts equal the sums of what was recovered: nothing half-applied.
            BigInteger spent = stored.stream().filter(r -> r.state() == State.POSTED)
                    .map(r -> r.posted().units()).reduce(BigInteger.ZERO, BigInteger::add);
            BigInteger reserved = stored.stream().filter(r -> r.state() == State.PENDING)
                    .map(r -> r.amount().units()).reduce(BigInteger.ZERO, BigInteger::add);
            BudgetUsage total = ledger.usage(LedgerCrashChild.LINES.get(0));
            assertThat(total.spent().units()).isEqualTo(spent);
            assertThat(total.reserved().units()).isEqualTo(reserved);
            assertThat(stored.size()).isGreaterThanOrEqualTo(acked.size() + pending.size());
            // The reopened ledger carries on: an acknowledged post repeats idempotently.
            String someAck = acked.keySet().iterator().next();
            assertThat(ledger.post(someAck, dev.forage.policies.Money.ofUnits(usdc("1").asset(), acked.get(someAck))))
                    .isInstanceOf(ResolveResult.Posted.class);
            assertThat(ledger.voidReservation("pending-0")).isInstanceOf(ResolveResult.Voided.class);
        } finally {
            ledger.close();
        }
    }
}
