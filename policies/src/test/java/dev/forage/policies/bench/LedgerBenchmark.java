package dev.forage.policies.bench;

import dev.forage.policies.Money;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.BudgetLine;
import dev.forage.policies.ledger.BudgetWindow;
import dev.forage.policies.ledger.ReserveRequest;
import dev.forage.policies.ledger.ResolveResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reserve + post pairs per second, each pair a fresh intent against three budgets (calendar
 * day, rolling 24 hours, lifetime), from 32 threads so the SQLite store's group commit can
 * batch. Every pair is durable when it returns: on SQLite, two fsynced commits (WAL,
 * synchronous=FULL) that it shares with whatever other threads queued meanwhile.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Threads(32)
public class LedgerBenchmark {

    @Param({"memory", "sqlite"})
    String store;

    private static final Money LIMIT = Money.of(BenchPolicies.USDC, "1000000000");
    private static final List<BudgetLine> LINES = List.of(
            BudgetLine.of("daily", LIMIT, new BudgetWindow.Calendar(BudgetWindow.Period.DAY, ZoneOffset.UTC)),
            BudgetLine.of("rolling", LIMIT, new BudgetWindow.Rolling(Duration.ofHours(24))),
            BudgetLine.of("total", LIMIT, new BudgetWindow.Lifetime()));
    private static final Money AMOUNT = Money.of(BenchPolicies.USDC, "0.25");
    private static final Money ACTUAL = Money.of(BenchPolicies.USDC, "0.20");

    private final AtomicLong ids = new AtomicLong();
    private BudgetLedger ledger;
    private Path dir;

    @Setup(Level.Trial)
    public void open() throws IOException {
        if (store.equals("sqlite")) {
            dir = Files.createTempDirectory("forage-ledger-bench");
            ledger = BudgetLedger.sqlite(dir.resolve("ledger.db"), Clock.systemUTC());
        } else {
            ledger = BudgetLedger.inMemory(Clock.systemUTC());
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        ledger.close();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    public ResolveResult reserveAndPost() {
        String id = "bench-" + ids.incrementAndGet();
        ledger.reserve(new ReserveRequest(id, AMOUNT, LINES, Duration.ofMinutes(10)));
        return ledger.post(id, ACTUAL);
    }
}
