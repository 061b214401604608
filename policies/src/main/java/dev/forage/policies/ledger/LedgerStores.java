package dev.forage.policies.ledger;

import dev.forage.policies.internal.InMemoryLedgerStore;
import dev.forage.policies.internal.SqliteLedgerStore;
import dev.forage.policies.spi.LedgerStore;
import java.nio.file.Path;

/** The ledger stores Forage ships; {@link LedgerStore} is the SPI a PostgreSQL store can implement. */
public final class LedgerStores {

    private LedgerStores() {}

    /**
     * A store in memory. A ledger reopened over the same instance recovers its state, which
     * tests use to exercise recovery without files.
     */
    public static LedgerStore inMemory() {
        return new InMemoryLedgerStore();
    }

    /**
     * A store in a SQLite file: WAL journal, {@code synchronous=FULL} (each commit is fsynced),
     * and group commit: one writer thread takes every write queued while the previous commit
     * was running and commits them in one transaction, so many concurrent callers share one
     * fsync.
     *
     * @throws dev.forage.policies.LedgerUnavailableException when the file cannot be opened
     */
    public static LedgerStore sqlite(Path file) {
        return SqliteLedgerStore.open(file);
    }
}
