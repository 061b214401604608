package dev.forage.policies.spi;

class InMemoryLedgerStoreTest extends LedgerStoreContract {

    private final LedgerStore store = LedgerStore.inMemory();

    @Override
    protected LedgerStore openStore() {
        return store;
    }
}
