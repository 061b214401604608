package dev.forage.policies.internal;

import dev.forage.policies.LedgerUnavailableException;
import dev.forage.policies.ledger.Reservation;
import dev.forage.policies.sqlite.SqliteFile;
import dev.forage.policies.spi.LedgerStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link LedgerStore} in one SQLite file. One table holds the latest state of each
 * reservation as canonical JSON, plus a few columns for operators to query.
 *
 * <p>Durability: WAL journal with {@code synchronous=FULL}, so a commit is on disk when it
 * returns. Group commit: a single writer thread takes the first queued write, drains every
 * other write queued meanwhile (up to {@value #MAX_BATCH}), and commits them in one
 * transaction with one fsync. Writes queue up while a commit runs, so the batch grows with the
 * number of concurrent callers and no artificial delay is needed.
 */
public final class SqliteLedgerStore implements LedgerStore {

    static final int MAX_BATCH = 4096;

    private static final String UPSERT =
            "INSERT INTO reservations(intent_id, state, asset, amount, created_at, expires_at, body)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT(intent_id) DO UPDATE SET state = excluded.state, body = excluded.body";

    private record Write(Reservation reservation, CompletableFuture<Void> done) {}

    private static final Write STOP = new Write(null, null);

    private final Path file;
    private final Connection connection;
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile Throwable failure;
    private volatile boolean closed;

    private SqliteLedgerStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.writer = Thread.ofPlatform().daemon().name("forage-ledger-writer").unstarted(this::runWriter);
    }

    /**
     * Opens (creating if missing) the ledger file.
     *
     * @throws LedgerUnavailableException when the file cannot be opened as a ledger
     */
    public static SqliteLedgerStore open(Path file) {
        try {
            Connection c = SqliteFile.openWritable(file);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS reservations ("
                        + "intent_id TEXT PRIMARY KEY, state TEXT NOT NULL, asset TEXT NOT NULL, amount TEXT NOT NULL,"
                        + " created_at TEXT NOT NULL, expires_at TEXT NOT NULL, body TEXT NOT NULL)");
            }
            c.setAutoCommit(false);
            SqliteLedgerStore store = new SqliteLedgerStore(file, c);
            store.writer.start();
            return store;
        } catch (SQLException e) {
            throw new LedgerUnavailableException(
                    "cannot open ledger file " + file + ": " + e.getMessage() + "; check the path and its permissions", e);
        }
    }

    @Override
    public List<Reservation> recover() {
        // Runs before the ledger writes anything, so the writer thread is idle and the connection free.
        synchronized (connection) {
            List<Reservation> out = new ArrayList<>();
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT body FROM reservations")) {
                while (rs.next()) {
                    out.add(ReservationCodec.decode(rs.getString(1)));
                }
                connection.commit();
            } catch (SQLException e) {
                throw new LedgerUnavailableException("cannot read ledger file " + file + ": " + e.getMessage(), e);
            }
            return out;
        }
    }

    @Override
    public CompletableFuture<Void> write(Reservation reservation) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (queue) {
            Throwable failed = failure;
            if (failed != null || closed) {
                done.completeExceptionally(
                        failed != null ? failed : new LedgerUnavailableException("ledger file " + file + " is closed"));
                return done;
            }
            queue.add(new Write(reservation, done));
        }
        return done;
    }

    private void runWriter() {
        List<Write> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                commit(batch);
            }
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void commit(List<Write> batch) {
        if (failure != null) {
            batch.forEach(w -> w.done().completeExceptionally(failure));
            return;
        }
        synchronized (connection) {
            try (PreparedStatement ps = connection.prepareStatement(UPSERT)) {
                for (Write w : batch) {
                    Reservation r = w.reservation();
                    ps.setString(1, r.intentId());
                    ps.setString(2, r.state().name());
                    ps.setString(3, r.amount().asset().symbol());
                    ps.setString(4, r.amount().units().toString());
                    ps.setString(5, r.createdAt().toString());
                    ps.setString(6, r.expiresAt().toString());
                    ps.setString(7, ReservationCodec.encode(r));
                    ps.addBatch();
                }
                ps.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                LedgerUnavailableException failed = new LedgerUnavailableException(
                        "cannot write ledger file " + file + ": " + e.getMessage() + "; reopen the ledger to recover", e);
                failure = failed;
                try {
                    connection.rollback();
                } catch (SQLException suppressed) {
                    failed.addSuppressed(suppressed);
                }
                batch.forEach(w -> w.done().completeExceptionally(failed));
                return;
            }
        }
        batch.forEach(w -> w.done().complete(null));
    }

    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (connection) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new LedgerUnavailableException("cannot close ledger file " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
