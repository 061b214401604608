package dev.forage.policies.spi;

import dev.forage.policies.ledger.LedgerStores;

class InMemoryLedgerStoreTest extends LedgerStoreContract {

    private final LedgerStore store = LedgerStores.inMemory();

    @Override
    protected LedgerStore openStore() {
        return store;
    }
}
