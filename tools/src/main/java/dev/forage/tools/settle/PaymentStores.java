package dev.forage.tools.settle;

import dev.forage.tools.settle.internal.InMemoryPaymentStore;
import dev.forage.tools.settle.internal.SqlitePaymentStore;
import dev.forage.tools.settle.spi.PaymentStore;
import java.nio.file.Path;

/** The payment stores Forage ships. */
public final class PaymentStores {

    private PaymentStores() {}

    /** Records in memory only: lost with the process. For tests. */
    public static PaymentStore inMemory() {
        return new InMemoryPaymentStore();
    }

    /**
     * Records in a SQLite database (WAL mode, synchronous writes), created if missing.
     *
     * @throws SettlementException STORE_FAILURE if it cannot be opened
     */
    public static PaymentStore sqlite(Path file) {
        return SqlitePaymentStore.open(file);
    }
}
