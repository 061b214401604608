package dev.forage.tools.compute.procure;

class InMemoryProviderStatsStoreTest extends ProviderStatsStoreContract {
    @Override
    ProviderStatsStore open() {
        return ProviderStatsStore.inMemory();
    }
}
