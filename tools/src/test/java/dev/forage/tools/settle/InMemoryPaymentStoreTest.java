package dev.forage.tools.settle;

import dev.forage.tools.settle.spi.PaymentStore;

class InMemoryPaymentStoreTest extends PaymentStoreContract {
    @Override
    protected PaymentStore create() {
        return PaymentStores.inMemory();
    }
}
