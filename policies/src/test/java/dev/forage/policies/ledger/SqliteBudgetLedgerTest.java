package dev.forage.policies.ledger;

import dev.forage.policies.spi.LedgerStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteBudgetLedgerTest extends BudgetLedgerContract {

    @TempDir
    Path dir;

    @Override
    LedgerStore openStore() {
        return LedgerStores.sqlite(dir.resolve("ledger.db"));
    }
}
