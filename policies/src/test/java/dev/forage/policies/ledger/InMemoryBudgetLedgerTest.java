package dev.forage.policies.ledger;

import dev.forage.policies.spi.LedgerStore;

class InMemoryBudgetLedgerTest extends BudgetLedgerContract {

    private final LedgerStore store = LedgerStores.inMemory();

    @Override
    LedgerStore openStore() {
        return store;
    }
}
