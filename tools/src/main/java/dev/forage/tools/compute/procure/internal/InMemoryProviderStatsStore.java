package dev.forage.tools.compute.procure.internal;

import dev.forage.tools.compute.procure.Observation;
import dev.forage.tools.compute.procure.ProviderKey;
import dev.forage.tools.compute.procure.ProviderStats;
import dev.forage.tools.compute.procure.ProviderStatsStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Provider stats in a concurrent map; each record is one atomic {@code compute} on the key. */
public final class InMemoryProviderStatsStore implements ProviderStatsStore {

    private final ConcurrentMap<ProviderKey, ProviderStats> stats = new ConcurrentHashMap<>();

    @Override
    public ProviderStats record(Observation observation) {
        return stats.compute(observation.key(),
                (key, old) -> (old == null ? ProviderStats.empty(key) : old).apply(observation));
    }

    @Override
    public Optional<ProviderStats> find(ProviderKey key) {
        return Optional.ofNullable(stats.get(key));
    }

    @Override
    public List<ProviderStats> all() {
        return stats.values().stream().sorted((a, b) -> a.key().compareTo(b.key())).toList();
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
