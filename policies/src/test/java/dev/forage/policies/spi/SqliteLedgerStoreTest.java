package dev.forage.policies.spi;

import dev.forage.policies.ledger.LedgerStores;
import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.LedgerUnavailableException;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.ReserveRequest;
import dev.forage.policies.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLedgerStoreTest extends LedgerStoreContract {

    @TempDir
    Path dir;

    @Override
    protected LedgerStore openStore() {
        return LedgerStores.sqlite(dir.resolve("ledger.db"));
    }

    @Test
    void uses_wal_with_full_synchronous_commits() throws Exception {
        try (LedgerStore store = openStore()) {
            store.write(pending("i1", "1")).join();
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ledger.db"));
                    ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
        }
        assertThat(Files.exists(dir.resolve("ledger.db"))).isTrue();
    }

    @Test
    void writes_after_close_fail_and_the_ledger_reports_it() {
        LedgerStore store = openStore();
        store.close();

        assertThatThrownBy(() -> store.write(pending("i1", "1")).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(LedgerUnavailableException.class);
    }

    @Test
    void a_storage_failure_stops_the_ledger_until_it_is_reopened() throws Exception {
        MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
        BudgetLedger ledger = BudgetLedger.open(openStore(), clock);
        ledger.reserve(new ReserveRequest("i1", usdc("1"), List.of(), Duration.ofMinutes(1)));
        // Sabotage the file from outside: the next commit fails.
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ledger.db"))) {
            c.createStatement().execute("DROP TABLE reservations");
        }

        assertThatThrownBy(() -> ledger.reserve(new ReserveRequest("i2", usdc("1"), List.of(), Duration.ofMinutes(1))))
                .isInstanceOf(LedgerUnavailableException.class).hasMessageContaining("reopen");
        assertThatThrownBy(() -> ledger.find("i1"))
                .isInstanceOf(LedgerUnavailableException.class).hasMessageContaining("stopped after a storage failure");
        ledger.close();
    }

    @Test
    void an_unopenable_path_is_reported() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");

        assertThatThrownBy(() -> LedgerStores.sqlite(notADir.resolve("ledger.db")))
                .isInstanceOf(LedgerUnavailableException.class).hasMessageContaining("cannot open ledger file");
    }
}
