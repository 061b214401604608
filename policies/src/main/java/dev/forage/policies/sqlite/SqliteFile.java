package dev.forage.policies.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.SQLiteConfig;

/**
 * Opens SQLite database files with the settings every durable store of the project uses: the
 * WAL journal (readers never block the writer), {@code synchronous=FULL} (a commit returns only
 * once it is fsynced, so an acknowledged write survives a power cut), and a
 * {@value #BUSY_TIMEOUT_MS} ms wait for a lock held by another connection before failing.
 *
 * <p>Each store maps the {@link SQLException} to its own module's error type.
 */
public final class SqliteFile {

    /** How long a connection waits for another connection's lock, in milliseconds. */
    public static final int BUSY_TIMEOUT_MS = 10_000;

    private SqliteFile() {}

    /**
     * A read-write connection to {@code file}, created with its parent folders if missing.
     *
     * @throws SQLException when the folder cannot be created or the file cannot be opened as a
     *     database; the message names the file
     */
    public static Connection openWritable(Path file) throws SQLException {
        Path absolute = file.toAbsolutePath();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (IOException e) {
            throw new SQLException("cannot create the folder of " + absolute + ": " + e, e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        return open(absolute, config);
    }

    /**
     * A read-only connection to an existing {@code file}.
     *
     * @throws SQLException when the file cannot be opened as a database
     */
    public static Connection openReadOnly(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        return open(file.toAbsolutePath(), config);
    }

    /** The lock-wait setting as a duration, for messages. */
    public static Duration busyTimeout() {
        return Duration.ofMillis(BUSY_TIMEOUT_MS);
    }

    private static Connection open(Path absolute, SQLiteConfig config) throws SQLException {
        try {
            return DriverManager.getConnection("jdbc:sqlite:" + absolute, config.toProperties());
        } catch (SQLException e) {
            throw new SQLException("cannot open SQLite database " + absolute + ": " + e.getMessage(), e.getSQLState(),
                    e.getErrorCode(), e);
        }
    }
}
