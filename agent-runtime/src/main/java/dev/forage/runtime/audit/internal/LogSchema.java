package dev.forage.runtime.audit.internal;

import dev.forage.policies.sqlite.SqliteFile;
import dev.forage.runtime.audit.AuditStorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The log's SQLite schema and connection settings, shared by the log and its verifier.
 *
 * <pre>
 * meta(key TEXT PRIMARY KEY, value TEXT)             origin, format version, verifier key
 * entries(seq INTEGER PRIMARY KEY, leaf BLOB, leaf_hash BLOB)   leaf = canonical entry JSON
 * checkpoints(tree_size INTEGER PRIMARY KEY, note TEXT)         signed checkpoint notes
 * </pre>
 *
 * Triggers refuse UPDATE and DELETE on both tables, so that no code path of the runtime can
 * rewrite history by mistake; a determined attacker can drop them, which the Merkle tree and
 * the signed checkpoints then expose.
 */
public final class LogSchema {

    /** Format version stored in {@code meta}. */
    public static final String FORMAT = "forage-audit-1";

    private LogSchema() {}

    /** A read-write connection: WAL, synchronous=FULL (every commit is fsynced), see {@link SqliteFile}. */
    public static Connection openWritable(Path path) {
        try {
            return SqliteFile.openWritable(path);
        } catch (SQLException e) {
            throw new AuditStorageException("cannot open audit log database " + path + ": " + e.getMessage(), e);
        }
    }

    /** A read-only connection. */
    public static Connection openReadOnly(Path path) {
        try {
            return SqliteFile.openReadOnly(path);
        } catch (SQLException e) {
            throw new AuditStorageException("cannot open audit log database " + path + ": " + e.getMessage(), e);
        }
    }

    /** Creates the tables and triggers if they are missing. */
    public static void create(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS entries ("
                    + "seq INTEGER PRIMARY KEY, leaf BLOB NOT NULL, leaf_hash BLOB NOT NULL)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS checkpoints ("
                    + "tree_size INTEGER PRIMARY KEY, note TEXT NOT NULL)");
            for (String table : new String[] {"entries", "checkpoints"}) {
                for (String op : new String[] {"UPDATE", "DELETE"}) {
                    s.executeUpdate("CREATE TRIGGER IF NOT EXISTS " + table + "_no_" + op.toLowerCase(java.util.Locale.ROOT)
                            + " BEFORE " + op + " ON " + table
                            + " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END");
                }
            }
        }
    }
}
