package dev.forage.runtime.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forage.runtime.audit.VerificationResult.Failed;
import dev.forage.runtime.audit.VerificationResult.Problem;
import dev.forage.runtime.audit.internal.LogSchema;
import dev.forage.runtime.audit.note.NoteVerifier;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * Verifies an audit log, either its SQLite database or an export (JSONL, see
 * {@link AuditExporter}), against the log's public verifier key, which must come from a source
 * the verifier trusts, never from the log itself.
 *
 * <p>It recomputes every leaf hash and the tree; checks that each entry sits at its own
 * sequence number; checks every checkpoint's signature, that the recomputed tree matches it,
 * and that successive checkpoints are consistent (RFC 9162 consistency proofs); in an export,
 * checks every entry's inclusion proof. Optional trusted references (checkpoints or exports
 * obtained earlier, e.g. by an auditor or a counterparty) expose truncation and forks: a log
 * of the same origin and key that does not extend them.
 *
 * <p>The verdict names the first entry it cannot vouch for. Where only a checkpoint exposes
 * the change (an attacker who rewrote an entry and its stored hash), that is the first entry
 * after the last checkpoint that still matched: nothing finer can be proven without the
 * original data.
 */
public final class AuditVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private AuditVerifier() {}

    /**
     * A trusted reference: a checkpoint obtained earlier and, when it came from an export, the
     * leaf hashes it covers (which let a fork be pinned to its first differing entry).
     *
     * @param checkpoint the signed checkpoint
     * @param leafHashes the leaf hashes of its entries, or empty
     */
    public record Trusted(SignedCheckpoint checkpoint, List<byte[]> leafHashes) {
        /** Copies. */
        public Trusted {
            leafHashes = List.copyOf(leafHashes);
        }
    }

    /**
     * Verifies a log database or an export, telling them apart by content.
     *
     * @throws AuditStorageException if the file cannot be read
     */
    public static VerificationResult verify(Path file, NoteVerifier key, List<Trusted> trusted) {
        return isDatabase(file) ? verifyDatabase(file, key, trusted) : verifyExport(file, key, trusted);
    }

    /**
     * Reads a trusted reference: a file holding a signed checkpoint note, or an export (which
     * must itself verify).
     *
     * @throws AuditFormatException if it is neither, or does not verify with {@code key}
     */
    public static Trusted loadTrusted(Path file, NoteVerifier key) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuditStorageException("cannot read trusted reference " + file + ": " + e.getMessage(), e);
        }
        if (text.startsWith("{")) {
            ExportReader export = ExportReader.read(text.lines().toList());
            VerificationResult result = export.verify(key, List.of());
            if (!result.ok()) {
                throw new AuditFormatException("trusted export " + file + " does not verify itself: "
                        + ((Failed) result).message());
            }
            return new Trusted(export.checkpoint, export.leafHashes());
        }
        SignedCheckpoint checkpoint = SignedCheckpoint.parse(text);
        if (!checkpoint.verifiedBy(key)) {
            throw new AuditFormatException("trusted checkpoint " + file + " is not signed by " + key.encode());
        }
        return new Trusted(checkpoint, List.of());
    }

    /** Verifies a log's SQLite database (read-only; the log may be open in another process). */
    public static VerificationResult verifyDatabase(Path db, NoteVerifier key, List<Trusted> trusted) {
        if (!Files.isRegularFile(db)) {
            throw new AuditStorageException("no audit log database at " + db);
        }
        try (Connection c = LogSchema.openReadOnly(db)) {
            c.setAutoCommit(false); // one read transaction: a consistent snapshot of a live log
            String origin = null;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'origin'")) {
                if (rs.next()) {
                    origin = rs.getString(1);
                }
            }
            VerificationPass pass = new VerificationPass(key, origin == null ? key.name() : origin);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT tree_size, note FROM checkpoints ORDER BY tree_size")) {
                while (rs.next()) {
                    if (!pass.addCheckpoint(rs.getLong(1), rs.getString(2))) {
                        return pass.failure;
                    }
                }
            }
            if (!pass.startEntries()) {
                return pass.failure;
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT seq, leaf, leaf_hash FROM entries ORDER BY seq")) {
                while (rs.next()) {
                    if (!pass.entry(rs.getLong(1), rs.getBytes(2), rs.getBytes(3), null)) {
                        return pass.failure;
                    }
                }
            }
            return pass.finish(trusted);
        } catch (SQLException e) {
            throw new AuditStorageException("cannot read audit log database " + db + ": " + e.getMessage(), e);
        }
    }

    /** Verifies an export written by {@link AuditExporter}, offline. */
    public static VerificationResult verifyExport(Path export, NoteVerifier key, List<Trusted> trusted) {
        List<String> lines;
        try {
            lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuditStorageException("cannot read audit export " + export + ": " + e.getMessage(), e);
        }
        ExportReader reader;
        try {
            reader = ExportReader.read(lines);
        } catch (AuditFormatException e) {
            return new Failed(0, 0, Problem.BAD_SIGNATURE, "export " + export + " has no valid checkpoint line: " + e.getMessage());
        }
        return reader.verify(key, trusted);
    }

    private static boolean isDatabase(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(SQLITE_MAGIC.length), SQLITE_MAGIC);
        } catch (IOException e) {
            throw new AuditStorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

}
