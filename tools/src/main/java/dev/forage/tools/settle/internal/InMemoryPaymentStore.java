package dev.forage.tools.settle.internal;

import dev.forage.tools.settle.spi.PaymentRecord;
import dev.forage.tools.settle.spi.PaymentStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Payment records in this process's memory: for tests and throw-away runs. */
public final class InMemoryPaymentStore implements PaymentStore {

    private final Map<String, PaymentRecord> records = new ConcurrentHashMap<>();

    @Override
    public Optional<PaymentRecord> find(String key) {
        return Optional.ofNullable(records.get(key));
    }

    @Override
    public void put(PaymentRecord record) {
        records.put(record.key(), record);
    }

    @Override
    public List<PaymentRecord> inFlight() {
        return records.values().stream().filter(r -> r.state().inFlight()).toList();
    }

    @Override
    public String toString() {
        return "InMemoryPaymentStore[" + records.size() + " records]";
    }
}
