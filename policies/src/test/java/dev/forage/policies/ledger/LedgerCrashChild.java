package dev.forage.policies.ledger;

import static dev.forage.policies.testing.Fixtures.USDC;
import static dev.forage.policies.testing.Fixtures.usdc;

import dev.forage.policies.Money;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The child process of {@link SqliteLedgerCrashIT}: opens a SQLite ledger, makes a few long
 * pending reservations, then posts as fast as several threads can until it is killed. It
 * prints a line for every call that returned, after it returned: {@code PENDING id expiresAt .}
 * and {@code ACK id units .}; the trailing dot tells a complete line from one cut by the kill.
 */
public final class LedgerCrashChild {

    static final List<BudgetLine> LINES = List.of(
            BudgetLine.of("total", usdc("1000000"), new BudgetWindow.Lifetime()),
            BudgetLine.of("daily", usdc("1000000"), new BudgetWindow.Calendar(BudgetWindow.Period.DAY, ZoneId.of("UTC"))));
    static final int PENDING = 5;
    static final int THREADS = 8;

    private LedgerCrashChild() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, false, "UTF-8");
        BudgetLedger ledger = BudgetLedger.sqlite(Path.of(args[0]), Clock.systemUTC());
        for (int k = 0; k < PENDING; k++) {
            ReserveResult r = ledger.reserve(new ReserveRequest("pending-" + k, usdc("1"), LINES, Duration.ofHours(1)));
            Reservation reservation = ((ReserveResult.Reserved) r).reservation();
            emit(out, "PENDING " + reservation.intentId() + " " + reservation.expiresAt() + " .");
        }
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread.ofPlatform().start(() -> {
                for (long i = 0; ; i++) {
                    String id = "t" + thread + "-" + i;
                    Money amount = Money.ofUnits(USDC, 10_000 + i % 1000);
                    ledger.reserve(new ReserveRequest(id, amount, LINES, Duration.ofHours(1)));
                    Money actual = Money.ofUnits(USDC, amount.units().longValue() - i % 7);
                    ledger.post(id, actual);
                    emit(out, "ACK " + id + " " + actual.units() + " .");
                }
            });
        }
        Thread.currentThread().join();
    }

    private static void emit(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
