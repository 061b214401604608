package dev.forage.tools.settle.internal;

import dev.forage.identity.Address;
import dev.forage.policies.sqlite.SqliteFile;
import dev.forage.tools.settle.SettlementException;
import dev.forage.tools.settle.spi.PaymentRecord;
import dev.forage.tools.settle.spi.PaymentStore;
import java.math.BigInteger;
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
 * Payment records in a SQLite database in WAL mode with {@code synchronous=FULL}: a record
 * is on disk when {@link #put} returns, so a crash right after it (even a power cut) keeps it.
 * One connection, used under this object's lock.
 */
public final class SqlitePaymentStore implements PaymentStore {

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS payments (
              key          TEXT PRIMARY KEY,
              description  TEXT NOT NULL,
              state        TEXT NOT NULL,
              tx_hash      TEXT,
              tx_from      TEXT,
              tx_nonce     INTEGER,
              tx_raw       TEXT,
              tx_to        TEXT,
              tx_data      TEXT,
              tx_value     TEXT,
              settled_by   TEXT,
              block_number INTEGER,
              detail       TEXT NOT NULL,
              updated_at   INTEGER NOT NULL
            )""";

    private final Path file;
    private final Connection connection;

    private SqlitePaymentStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (creating if needed) the database at {@code file}.
     *
     * @throws SettlementException STORE_FAILURE if it cannot be opened
     */
    public static SqlitePaymentStore open(Path file) {
        try {
            Connection c = SqliteFile.openWritable(file);
            try (Statement s = c.createStatement()) {
                s.execute(SCHEMA);
                s.execute("CREATE INDEX IF NOT EXISTS payments_state ON payments(state)");
            }
            return new SqlitePaymentStore(file, c);
        } catch (SQLException e) {
            throw new SettlementException(SettlementException.Reason.STORE_FAILURE, "cannot open the payment store "
                    + file + " (" + e.getMessage() + "); check the folder exists and is writable", false, null, e);
        }
    }

    @Override
    public synchronized Optional<PaymentRecord> find(String key) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM payments WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("reading payment " + key, e);
        }
    }

    @Override
    public synchronized void put(PaymentRecord r) {
        String sql = """
                INSERT INTO payments (key, description, state, tx_hash, tx_from, tx_nonce, tx_raw, tx_to, tx_data,
                                      tx_value, settled_by, block_number, detail, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET description = excluded.description, state = excluded.state,
                  tx_hash = excluded.tx_hash, tx_from = excluded.tx_from, tx_nonce = excluded.tx_nonce,
                  tx_raw = excluded.tx_raw, tx_to = excluded.tx_to, tx_data = excluded.tx_data,
                  tx_value = excluded.tx_value, settled_by = excluded.settled_by, block_number = excluded.block_number, detail = excluded.detail,
                  updated_at = excluded.updated_at""";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, r.key());
            ps.setString(2, r.description());
            ps.setString(3, r.state().name());
            if (r.tx().isPresent()) {
                PaymentRecord.Tx tx = r.tx().get();
                ps.setString(4, tx.hash());
                ps.setString(5, tx.from().value());
                ps.setLong(6, tx.nonce());
                ps.setString(7, tx.raw());
                ps.setString(8, tx.to().map(Address::value).orElse(null));
                ps.setString(9, tx.data());
                ps.setString(10, tx.value().toString());
            } else {
                for (int i = 4; i <= 10; i++) {
                    ps.setNull(i, i == 6 ? Types.INTEGER : Types.VARCHAR);
                }
            }
            ps.setString(11, r.txHash().orElse(null));
            if (r.blockNumber().isPresent()) {
                ps.setLong(12, r.blockNumber().get());
            } else {
                ps.setNull(12, Types.INTEGER);
            }
            ps.setString(13, r.detail());
            ps.setLong(14, r.updatedAt().toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("writing payment " + r.key(), e);
        }
    }

    @Override
    public synchronized List<PaymentRecord> inFlight() {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT * FROM payments WHERE state IN ('SIGNED', 'BROADCAST') ORDER BY updated_at")) {
            List<PaymentRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("listing payments in flight", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("closing", e);
        }
    }

    private static PaymentRecord read(ResultSet rs) throws SQLException {
        Optional<PaymentRecord.Tx> tx = Optional.empty();
        String hash = rs.getString("tx_hash");
        if (hash != null) {
            String to = rs.getString("tx_to");
            tx = Optional.of(new PaymentRecord.Tx(hash, Address.parse(rs.getString("tx_from")), rs.getLong("tx_nonce"),
                    rs.getString("tx_raw"), Optional.ofNullable(to).map(Address::parse), rs.getString("tx_data"),
                    new BigInteger(rs.getString("tx_value"))));
        }
        long block = rs.getLong("block_number");
        Optional<Long> blockNumber = rs.wasNull() ? Optional.empty() : Optional.of(block);
        return new PaymentRecord(rs.getString("key"), rs.getString("description"),
                PaymentRecord.State.valueOf(rs.getString("state")), tx, Optional.ofNullable(rs.getString("settled_by")), blockNumber, rs.getString("detail"),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private SettlementException failure(String what, SQLException e) {
        boolean busy = e.getErrorCode() == 5 || e.getErrorCode() == 6;
        return new SettlementException(SettlementException.Reason.STORE_FAILURE, what + " in the payment store " + file
                + " failed: " + e.getMessage() + (busy ? "; the database is busy, retry" : "; check the disk and the file"),
                busy, null, e);
    }

    @Override
    public String toString() {
        return "SqlitePaymentStore[" + file + "]";
    }
}
