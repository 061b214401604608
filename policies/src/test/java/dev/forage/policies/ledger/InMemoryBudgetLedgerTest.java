package dev.forage.policies.ledger;

import dev.forage.policies.spi.LedgerStore;

class InMemoryBudgetLedgerTest extends BudgetLedgerContract {

    private final LedgerStore store = LedgerStore.inMemory();

    @Override
    LedgerStore openStore() {
        return store;
    }
}
