package dev.forage.policies.ledger;

import static dev.forage.policies.testing.Fixtures.USDC;
import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.IdempotencyConflictException;
import dev.forage.policies.Money;
import dev.forage.policies.ledger.Reservation.State;
import dev.forage.policies.spi.LedgerStore;
import dev.forage.policies.testing.Cases;
import dev.forage.policies.testing.MutableClock;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random operations from several threads at once against one ledger: reserve, post, void,
 * time passing (expiry), duplicates (same id, same arguments) and conflicts (same id, other
 * arguments). Checked at every step: spent plus reserved never exceeds a limit. Checked at the
 * end: each id resolved at most once, every account's totals equal the sums of its
 * reservations, and a reopened ledger recovers the same state. A failure names its seed and the
 * schedule; the threads' interleaving is the scheduler's, so a replay reruns the same schedule,
 * not necessarily the same interleaving.
 */
class LedgerConcurrencyTest {

    static final List<BudgetLine> LINES = List.of(
            BudgetLine.of("daily", usdc("8"), new BudgetWindow.Calendar(BudgetWindow.Period.DAY, ZoneId.of("UTC"))),
            BudgetLine.of("total", usdc("12"), new BudgetWindow.Lifetime()),
            BudgetLine.of("hourly", usdc("5"), new BudgetWindow.Rolling(Duration.ofHours(1))));
    static final int IDS = 16;
    static final int THREADS = 4;

    sealed interface Op {}

    /** Reserve id {@code n} with its canonical arguments (repeated: a duplicate). */
    record Reserve(int n) implements Op {}

    /** Reserve id {@code n} with another amount: must be rejected if {@code n} exists. */
    record Conflict(int n) implements Op {}

    record Post(int n, int percent) implements Op {}

    record Void(int n) implements Op {}

    record Advance(int seconds) implements Op {}

    static String id(int n) {
        return "id-" + n;
    }

    static ReserveRequest canonical(int n) {
        List<BudgetLine> lines = switch (n % 4) {
            case 0 -> List.of(LINES.get(0), LINES.get(1));
            case 1 -> List.of(LINES.get(1), LINES.get(2));
            case 2 -> LINES;
            default -> List.of(LINES.get(2));
        };
        return new ReserveRequest(id(n), Money.ofUnits(USDC, 500_000L + 250_000L * (n % 5)), lines,
                Duration.ofSeconds(20 + 20L * (n % 3)));
    }

    private static final List<Integer> PERCENTS = List.of(0, 40, 100, 120);

    /** One operation, weighted reserve 6, conflict 1, post 4, void 2, advance 1. */
    static Op op(RandomGenerator random) {
        int n = random.nextInt(IDS);
        int pick = random.nextInt(14);
        if (pick < 6) {
            return new Reserve(n);
        } else if (pick < 7) {
            return new Conflict(n);
        } else if (pick < 11) {
            return new Post(n, PERCENTS.get(random.nextInt(PERCENTS.size())));
        } else if (pick < 13) {
            return new Void(n);
        }
        return new Advance(random.nextInt(1, 16));
    }

    /** {@value #THREADS} threads' operations, 5 to 40 each. */
    static List<List<Op>> schedule(RandomGenerator random) {
        List<List<Op>> schedule = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Op> ops = new ArrayList<>();
            for (int n = random.nextInt(5, 41); n > 0; n--) {
                ops.add(op(random));
            }
            schedule.add(ops);
        }
        return schedule;
    }

    static LongStream in_memory_ledger_keeps_its_invariants_under_concurrency() {
        return Cases.seeds(60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void in_memory_ledger_keeps_its_invariants_under_concurrency(long seed) {
        List<List<Op>> schedule = schedule(Cases.random(seed));
        LedgerStore store = LedgerStore.inMemory();
        Cases.check(seed, "schedule " + schedule, () -> run(schedule, () -> store));
    }

    static LongStream sqlite_ledger_keeps_its_invariants_under_concurrency() {
        return Cases.seeds(8);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void sqlite_ledger_keeps_its_invariants_under_concurrency(long seed) throws IOException {
        List<List<Op>> schedule = schedule(Cases.random(seed));
        Path dir = Files.createTempDirectory("ledger-prop");
        try {
            Cases.check(seed, "schedule " + schedule, () -> run(schedule, () -> LedgerStore.sqlite(dir.resolve("ledger.db"))));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: the directory is under the system temp folder
            }
        }
    }

    private void run(List<List<Op>> schedule, Supplier<LedgerStore> stores) throws Exception {
        MutableClock clock = MutableClock.at("2026-03-02T23:50:00Z");
        BudgetLedger ledger = BudgetLedger.open(stores.get(), clock);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Map<String, Queue<ResolveResult>> resolutions = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (List<Op> ops : schedule) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (Op op : ops) {
                        apply(ledger, clock, op, resolutions);
                        for (BudgetLine line : LINES) {
                            BudgetUsage u = ledger.usage(line);
                            if (u.spent().plus(u.reserved()).isGreaterThan(line.limit())) {
                                throw new AssertionError("over the limit after " + op + ": " + u);
                            }
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();

        // Each id resolved at most once: every post saw one amount, posts and voids never both won.
        for (int n = 0; n < IDS; n++) {
            Queue<ResolveResult> seen = resolutions.getOrDefault(id(n), new ConcurrentLinkedQueue<>());
            List<Reservation> posted = seen.stream().filter(r -> r instanceof ResolveResult.Posted)
                    .map(r -> ((ResolveResult.Posted) r).reservation()).toList();
            boolean voided = seen.stream().anyMatch(r -> r instanceof ResolveResult.Voided);
            assertThat(!posted.isEmpty() && voided).as("%s both posted and voided", id(n)).isFalse();
            assertThat(posted.stream().map(Reservation::posted).distinct()).as("posted amounts of %s", id(n)).hasSizeLessThan(2);
            Reservation last = ledger.find(id(n)).orElse(null);
            if (!posted.isEmpty()) {
                assertThat(last.state()).isEqualTo(State.POSTED);
                assertThat(last.posted()).isEqualTo(posted.get(0).posted());
            }
            if (voided) {
                assertThat(last.state()).isEqualTo(State.VOIDED);
            }
        }

        // Totals are conserved: each account is exactly the sum of its reservations.
        ledger.expireDue();
        Instant now = clock.instant();
        List<Reservation> all = new ArrayList<>();
        for (int n = 0; n < IDS; n++) {
            ledger.find(id(n)).ifPresent(all::add);
        }
        List<BudgetUsage> before = new ArrayList<>();
        for (BudgetLine line : LINES) {
            BudgetUsage u = ledger.usage(line);
            before.add(u);
            BigInteger reserved = BigInteger.ZERO;
            BigInteger spent = BigInteger.ZERO;
            for (Reservation r : all) {
                boolean counts = r.budgets().stream().anyMatch(b -> b.ref().equals(line.ref()))
                        && line.account(r.createdAt()).equals(line.account(now));
                boolean inWindow = !(line.window() instanceof BudgetWindow.Rolling rolling)
                        || r.createdAt().isAfter(now.minus(rolling.length()));
                if (counts && r.state() == State.PENDING) {
                    reserved = reserved.add(r.amount().units());
                }
                if (counts && r.state() == State.POSTED && inWindow) {
                    spent = spent.add(r.posted().units());
                }
            }
            assertThat(u.reserved().units()).as("reserved in %s", u.account()).isEqualTo(reserved);
            assertThat(u.spent().units()).as("spent in %s", u.account()).isEqualTo(spent);
        }

        // Recovery reproduces the same state.
        ledger.close();
        BudgetLedger reopened = BudgetLedger.open(stores.get(), clock);
        try {
            for (int i = 0; i < LINES.size(); i++) {
                assertThat(reopened.usage(LINES.get(i))).isEqualTo(before.get(i));
            }
            for (Reservation r : all) {
                assertThat(reopened.find(r.intentId())).contains(r);
            }
        } finally {
            reopened.close();
        }
    }

    private static void apply(BudgetLedger ledger, MutableClock clock, Op op, Map<String, Queue<ResolveResult>> out) {
        switch (op) {
            case Reserve r -> ledger.reserve(canonical(r.n()));
            case Conflict c -> {
                // Only once the id exists (ids are never forgotten), so no race can create it with
                // the wrong arguments: from then on every other amount must be rejected.
                ReserveRequest req = canonical(c.n());
                if (ledger.find(req.intentId()).isPresent()) {
                    ReserveRequest other = new ReserveRequest(req.intentId(), req.amount().plus(usdc("0.01")), req.budgets(), req.ttl());
                    try {
                        ledger.reserve(other);
                        throw new AssertionError("conflicting reserve of existing " + req.intentId() + " was accepted");
                    } catch (IdempotencyConflictException expected) {
                        // the id is taken with its canonical arguments
                    }
                }
            }
            case Post p -> {
                ReserveRequest req = canonical(p.n());
                Money actual = Money.ofUnits(USDC,
                        req.amount().units().multiply(BigInteger.valueOf(p.percent())).divide(BigInteger.valueOf(100)));
                try {
                    record(out, ledger.post(req.intentId(), actual));
                } catch (IdempotencyConflictException expected) {
                    // another thread posted it with another amount first
                }
            }
            case Void v -> record(out, ledger.voidReservation(id(v.n())));
            case Advance a -> clock.advance(Duration.ofSeconds(a.seconds()));
        }
    }

    private static void record(Map<String, Queue<ResolveResult>> out, ResolveResult r) {
        out.computeIfAbsent(r.intentId(), k -> new ConcurrentLinkedQueue<>()).add(r);
    }
}
