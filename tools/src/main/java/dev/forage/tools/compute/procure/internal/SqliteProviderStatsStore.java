package dev.forage.tools.compute.procure.internal;

import dev.forage.policies.sqlite.SqliteFile;
import dev.forage.tools.compute.procure.Observation;
import dev.forage.tools.compute.procure.ProcurementException;
import dev.forage.tools.compute.procure.ProviderKey;
import dev.forage.tools.compute.procure.ProviderStats;
import dev.forage.tools.compute.procure.ProviderStatsStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Provider stats in a SQLite table, one row per provider. A record is read, updated with
 * {@link ProviderStats#apply} and written back in one immediate transaction, so another process
 * on the same file cannot interleave; within this process, one connection under this object's
 * lock. Commits are synchronous ({@link SqliteFile}), so a recorded observation survives a crash.
 */
public final class SqliteProviderStatsStore implements ProviderStatsStore {

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS provider_stats (
              market                TEXT NOT NULL,
              provider              TEXT NOT NULL,
              lease_attempts        INTEGER NOT NULL,
              lease_failures        INTEGER NOT NULL,
              job_successes         INTEGER NOT NULL,
              job_failures          INTEGER NOT NULL,
              verification_passes   INTEGER NOT NULL,
              verification_failures INTEGER NOT NULL,
              latency_samples       INTEGER NOT NULL,
              latency_ewma_ms       REAL NOT NULL,
              last_seen_ms          INTEGER,
              PRIMARY KEY (market, provider)
            )""";

    private final Path file;
    private final Connection connection;
    private boolean closed;

    private SqliteProviderStatsStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (creating if needed) the stats table in {@code file}.
     *
     * @throws ProcurementException STORE_FAILURE when it cannot be opened
     */
    public static SqliteProviderStatsStore open(Path file) {
        try {
            Connection c = SqliteFile.openWritable(file);
            try (Statement s = c.createStatement()) {
                s.execute(SCHEMA);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            return new SqliteProviderStatsStore(file, c);
        } catch (SQLException e) {
            throw new ProcurementException(ProcurementException.Reason.STORE_FAILURE, "cannot open the provider stats store "
                    + file + " (" + e.getMessage() + "); check the folder exists and is writable", e);
        }
    }

    @Override
    public synchronized ProviderStats record(Observation observation) {
        ProviderKey key = observation.key();
        // The connection stays in auto-commit mode; BEGIN IMMEDIATE takes the write lock before
        // the read, so no other writer can slip in between read and write (a deferred
        // transaction would fail to upgrade instead of waiting).
        try (Statement tx = connection.createStatement()) {
            tx.execute("BEGIN IMMEDIATE");
            try {
                ProviderStats next = read(key).orElseGet(() -> ProviderStats.empty(key)).apply(observation);
                write(next);
                tx.execute("COMMIT");
                return next;
            } catch (SQLException | RuntimeException e) {
                try {
                    tx.execute("ROLLBACK");
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure("recording an observation of " + key, e);
        }
    }

    @Override
    public synchronized Optional<ProviderStats> find(ProviderKey key) {
        try {
            return read(key);
        } catch (SQLException e) {
            throw failure("reading the stats of " + key, e);
        }
    }

    @Override
    public synchronized List<ProviderStats> all() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM provider_stats ORDER BY market, provider");
                ResultSet rs = ps.executeQuery()) {
            List<ProviderStats> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row(rs));
            }
            return out;
        } catch (SQLException e) {
            throw failure("listing provider stats", e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("closing", e);
        }
    }

    private Optional<ProviderStats> read(ProviderKey key) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM provider_stats WHERE market = ? AND provider = ?")) {
            ps.setString(1, key.market());
            ps.setString(2, key.providerId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private void write(ProviderStats s) throws SQLException {
        String sql = """
                INSERT INTO provider_stats (market, provider, lease_attempts, lease_failures, job_successes, job_failures,
                                            verification_passes, verification_failures, latency_samples, latency_ewma_ms,
                                            last_seen_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(market, provider) DO UPDATE SET lease_attempts = excluded.lease_attempts,
                  lease_failures = excluded.lease_failures, job_successes = excluded.job_successes,
                  job_failures = excluded.job_failures, verification_passes = excluded.verification_passes,
                  verification_failures = excluded.verification_failures, latency_samples = excluded.latency_samples,
                  latency_ewma_ms = excluded.latency_ewma_ms, last_seen_ms = excluded.last_seen_ms""";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, s.key().market());
            ps.setString(2, s.key().providerId());
            ps.setLong(3, s.leaseAttempts());
            ps.setLong(4, s.leaseFailures());
            ps.setLong(5, s.jobSuccesses());
            ps.setLong(6, s.jobFailures());
            ps.setLong(7, s.verificationPasses());
            ps.setLong(8, s.verificationFailures());
            ps.setLong(9, s.latencySamples());
            ps.setDouble(10, s.latencyEwmaMillis());
            if (s.lastSeen().isPresent()) {
                ps.setLong(11, s.lastSeen().get().toEpochMilli());
            } else {
                ps.setNull(11, Types.INTEGER);
            }
            ps.executeUpdate();
        }
    }

    private static ProviderStats row(ResultSet rs) throws SQLException {
        long seen = rs.getLong("last_seen_ms");
        Optional<Instant> lastSeen = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(seen));
        return new ProviderStats(new ProviderKey(rs.getString("market"), rs.getString("provider")), rs.getLong("lease_attempts"),
                rs.getLong("lease_failures"), rs.getLong("job_successes"), rs.getLong("job_failures"),
                rs.getLong("verification_passes"), rs.getLong("verification_failures"), rs.getLong("latency_samples"),
                rs.getDouble("latency_ewma_ms"), lastSeen);
    }

    private ProcurementException failure(String what, SQLException e) {
        return new ProcurementException(ProcurementException.Reason.STORE_FAILURE,
                "provider stats store " + file + ": " + what + " failed (" + e.getMessage() + ")", e);
    }
}
