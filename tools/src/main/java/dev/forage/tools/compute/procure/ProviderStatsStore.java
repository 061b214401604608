package dev.forage.tools.compute.procure;

import dev.forage.tools.compute.procure.internal.InMemoryProviderStatsStore;
import dev.forage.tools.compute.procure.internal.SqliteProviderStatsStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where provider statistics live. Safe for concurrent use; {@link #record} is atomic per
 * provider (two attempts ending at once both count). Implementations: {@link #inMemory()} and
 * {@link #sqlite(Path)}, which survives a restart.
 */
public interface ProviderStatsStore extends AutoCloseable {

    /**
     * Counts {@code observation} in and returns the provider's stats after it.
     *
     * @throws ProcurementException STORE_FAILURE when the store cannot be written
     */
    ProviderStats record(Observation observation);

    /** The stats of {@code key}, if it was ever observed. */
    Optional<ProviderStats> find(ProviderKey key);

    /** The stats of {@code key}, empty ones if it was never observed. */
    default ProviderStats statsOf(ProviderKey key) {
        return find(key).orElseGet(() -> ProviderStats.empty(key));
    }

    /** Every provider's stats, ordered by key. */
    List<ProviderStats> all();

    /** Releases what the store holds (a database connection); idempotent. */
    @Override
    void close();

    /** A store in memory, lost when the process ends. */
    static ProviderStatsStore inMemory() {
        return new InMemoryProviderStatsStore();
    }

    /**
     * A store in the SQLite file {@code file} (created if missing; WAL journal, synchronous
     * commits, opened only through {@link dev.forage.policies.sqlite.SqliteFile#openWritable}).
     *
     * @throws ProcurementException STORE_FAILURE when the file cannot be opened as a database
     */
    static ProviderStatsStore sqlite(Path file) {
        return SqliteProviderStatsStore.open(file);
    }
}
