package dev.forage.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forage.runtime.audit.VerificationResult.Failed;
import dev.forage.runtime.audit.VerificationResult.Problem;
import dev.forage.runtime.audit.VerificationResult.Verified;
import dev.forage.runtime.audit.internal.LogSchema;
import dev.forage.runtime.audit.merkle.MerkleProofs;
import dev.forage.runtime.audit.merkle.MerkleTree;
import dev.forage.runtime.audit.merkle.Rfc6962;
import dev.forage.runtime.audit.note.Checkpoint;
import dev.forage.runtime.audit.note.NoteVerifier;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
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
            Pass pass = new Pass(key, origin == null ? key.name() : origin);
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

    /** One pass over the entries in order, checking checkpoints as their sizes are reached. */
    private static final class Pass {
        private final NoteVerifier key;
        private final String origin;
        private final List<SignedCheckpoint> checkpoints = new ArrayList<>();
        private final MerkleTree tree = new MerkleTree();
        private int nextCheckpoint;
        private int checkpointsChecked;
        private long vouched;
        private SignedCheckpoint previous;
        private Failed failure;

        Pass(NoteVerifier key, String origin) {
            this.key = key;
            this.origin = origin;
        }

        boolean addCheckpoint(long size, String note) {
            long lastGood = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).checkpoint().treeSize();
            SignedCheckpoint cp;
            try {
                cp = SignedCheckpoint.parse(note);
            } catch (AuditFormatException e) {
                return fail(lastGood, Problem.BAD_SIGNATURE, "checkpoint at size " + size + " is malformed: " + e.getMessage());
            }
            Checkpoint c = cp.checkpoint();
            if (c.treeSize() != size || !c.origin().equals(origin)) {
                return fail(lastGood, Problem.BAD_SIGNATURE, "checkpoint stored at size " + size + " says origin '"
                        + c.origin() + "' size " + c.treeSize() + "; expected origin '" + origin + "'");
            }
            if (!cp.verifiedBy(key)) {
                return fail(lastGood, Problem.BAD_SIGNATURE, "checkpoint at size " + size
                        + " has no valid signature by " + key.encode());
            }
            checkpoints.add(cp);
            return true;
        }

        boolean startEntries() {
            checkpoints.sort(Comparator.comparingLong(cp -> cp.checkpoint().treeSize()));
            return checkReachedCheckpoints();
        }

        /**
         * One entry at the next position: {@code claimed} is the sequence number its container
         * (row or line) claims; {@code storedHash} and {@code proof} are checked when present.
         */
        boolean entry(long claimed, byte[] leaf, byte[] storedHash, List<byte[]> proof) {
            long position = tree.size();
            if (claimed != position) {
                if (claimed > position) {
                    return fail(position, Problem.MISSING_ENTRY, "entry " + position + " is missing: the next one stored is "
                            + claimed + " (entries deleted)");
                }
                return fail(Math.max(vouched, Math.min(claimed, position)), Problem.MISORDERED_ENTRY,
                        "position " + position + " holds a second entry " + claimed + " (entries inserted or reordered)");
            }
            AuditEntry entry;
            try {
                entry = AuditEntry.fromCanonicalBytes(leaf);
            } catch (AuditFormatException e) {
                return fail(position, Problem.MALFORMED_ENTRY, "entry " + position + " is malformed: " + e.getMessage());
            }
            if (entry.sequence() != position) {
                return fail(Math.max(vouched, Math.min(entry.sequence(), position)), Problem.MISORDERED_ENTRY,
                        "entry at position " + position + " says it is entry " + entry.sequence()
                                + " (entries reordered, inserted or deleted)");
            }
            byte[] hash = Rfc6962.leafHash(leaf);
            if (storedHash != null && !MessageDigest.isEqual(hash, storedHash)) {
                return fail(position, Problem.MODIFIED_ENTRY, "entry " + position + " was modified: its leaf hash is "
                        + Rfc6962.hex(hash) + " but " + Rfc6962.hex(storedHash) + " was recorded");
            }
            if (proof != null) {
                Checkpoint latest = checkpoints.get(checkpoints.size() - 1).checkpoint();
                if (position >= latest.treeSize()) {
                    return fail(position, Problem.MISORDERED_ENTRY, "entry " + position + " lies beyond the checkpoint"
                            + " size " + latest.treeSize() + " (entries inserted)");
                }
                if (!MerkleProofs.verifyInclusion(position, latest.treeSize(), hash, proof, latest.rootHash())) {
                    return fail(position, Problem.MODIFIED_ENTRY, "entry " + position + " was modified: its inclusion"
                            + " proof does not lead to the root of the checkpoint at size " + latest.treeSize());
                }
            }
            tree.append(hash);
            return checkReachedCheckpoints();
        }

        private boolean checkReachedCheckpoints() {
            long size = tree.size();
            while (nextCheckpoint < checkpoints.size() && checkpoints.get(nextCheckpoint).checkpoint().treeSize() == size) {
                SignedCheckpoint cp = checkpoints.get(nextCheckpoint++);
                byte[] root = tree.rootHash(size);
                if (!MessageDigest.isEqual(root, cp.checkpoint().rootHash())) {
                    return fail(vouched, Problem.CHECKPOINT_MISMATCH, "entries " + vouched + ".." + (size - 1)
                            + " do not match the signed checkpoint at size " + size + " (recomputed root "
                            + Rfc6962.hex(root) + ", signed " + Rfc6962.hex(cp.checkpoint().rootHash())
                            + "); the first entry not vouched for is " + vouched);
                }
                if (previous != null) {
                    Checkpoint before = previous.checkpoint();
                    List<byte[]> proof = tree.consistencyProof(before.treeSize(), size);
                    if (!MerkleProofs.verifyConsistency(before.treeSize(), size, before.rootHash(), cp.checkpoint().rootHash(), proof)) {
                        return fail(vouched, Problem.INCONSISTENT_CHECKPOINTS, "checkpoints at sizes " + before.treeSize()
                                + " and " + size + " are not consistent");
                    }
                }
                previous = cp;
                vouched = size;
                checkpointsChecked++;
            }
            return true;
        }

        VerificationResult finish(List<Trusted> trusted) {
            long size = tree.size();
            if (nextCheckpoint < checkpoints.size()) {
                long signed = checkpoints.get(checkpoints.size() - 1).checkpoint().treeSize();
                fail(size, Problem.TRUNCATED, "the log has " + size + " entries but a checkpoint signs " + signed
                        + ": entries " + size + ".." + (signed - 1) + " were removed");
                return failure;
            }
            for (Trusted t : trusted) {
                if (!checkTrusted(t)) {
                    return failure;
                }
            }
            return new Verified(size, checkpointsChecked, vouched, size - vouched);
        }

        private boolean checkTrusted(Trusted t) {
            Checkpoint c = t.checkpoint().checkpoint();
            if (!t.checkpoint().verifiedBy(key) || !c.origin().equals(origin)) {
                throw new AuditFormatException("trusted checkpoint " + c + " is not signed by " + key.encode()
                        + " for origin '" + origin + "'; pass a checkpoint of this log");
            }
            long size = tree.size();
            if (c.treeSize() > size) {
                return fail(size, Problem.TRUNCATED, "the log has " + size + " entries but the trusted checkpoint signs "
                        + c.treeSize() + ": the log was truncated or rolled back from entry " + size);
            }
            if (MessageDigest.isEqual(tree.rootHash(c.treeSize()), c.rootHash())) {
                return true;
            }
            long first = 0;
            String where = "somewhere in entries 0.." + (c.treeSize() - 1) + " (pass that log's export as the"
                    + " trusted reference to name the exact entry)";
            if (!t.leafHashes().isEmpty()) {
                while (first < t.leafHashes().size() && MessageDigest.isEqual(t.leafHashes().get((int) first), tree.leafHash(first))) {
                    first++;
                }
                where = "first at entry " + first;
            }
            return fail(first, Problem.FORK, "the log is a fork: under the same origin '" + origin + "' and key it does not"
                    + " extend the trusted checkpoint at size " + c.treeSize() + "; it diverges " + where);
        }

        private boolean fail(long firstBad, Problem problem, String message) {
            failure = new Failed(tree.size(), firstBad, problem, message);
            return false;
        }
    }

    /** An export read into memory: its checkpoints, consistency proofs and entry lines. */
    private static final class ExportReader {
        private SignedCheckpoint checkpoint;
        private final List<SignedCheckpoint> earlier = new ArrayList<>();
        private final List<List<byte[]>> earlierProofs = new ArrayList<>();
        private final List<JsonNode> entries = new ArrayList<>();
        private final List<Integer> badLines = new ArrayList<>();

        static ExportReader read(List<String> lines) {
            ExportReader r = new ExportReader();
            if (lines.isEmpty()) {
                throw new AuditFormatException("the export is empty");
            }
            JsonNode head = parse(lines.get(0));
            if (head == null || !"checkpoint".equals(head.path("type").asText()) || !head.path("checkpoint").isTextual()) {
                throw new AuditFormatException("the first line is not {\"type\":\"checkpoint\",...}");
            }
            r.checkpoint = SignedCheckpoint.parse(head.get("checkpoint").textValue());
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                JsonNode line = parse(lines.get(i));
                String type = line == null ? "" : line.path("type").asText();
                if (type.equals("consistency") && line.path("checkpoint").isTextual()) {
                    r.earlier.add(SignedCheckpoint.parse(line.get("checkpoint").textValue()));
                    r.earlierProofs.add(hashes(line.path("proof")));
                } else if (type.equals("entry")) {
                    r.entries.add(line);
                } else {
                    r.entries.add(null);
                    r.badLines.add(i + 1);
                }
            }
            return r;
        }

        List<byte[]> leafHashes() {
            List<byte[]> out = new ArrayList<>(entries.size());
            for (JsonNode line : entries) {
                out.add(Rfc6962.leafHash(AuditEntry.canonicalize(line.get("entry"))));
            }
            return out;
        }

        VerificationResult verify(NoteVerifier key, List<Trusted> trusted) {
            String origin = checkpoint.checkpoint().origin();
            Pass pass = new Pass(key, origin);
            Checkpoint latest = checkpoint.checkpoint();
            for (int i = 0; i < earlier.size(); i++) {
                Checkpoint c = earlier.get(i).checkpoint();
                if (!pass.addCheckpoint(c.treeSize(), earlier.get(i).encode())) {
                    return pass.failure;
                }
                if (c.treeSize() > latest.treeSize() || !MerkleProofs.verifyConsistency(c.treeSize(), latest.treeSize(),
                        c.rootHash(), latest.rootHash(), earlierProofs.get(i))) {
                    return new Failed(0, 0, Problem.INCONSISTENT_CHECKPOINTS, "the checkpoint at size " + c.treeSize()
                            + " is not consistent with the latest checkpoint at size " + latest.treeSize());
                }
            }
            if (!pass.addCheckpoint(latest.treeSize(), checkpoint.encode()) || !pass.startEntries()) {
                return pass.failure;
            }
            for (JsonNode line : entries) {
                long position = pass.tree.size();
                if (line == null || !line.path("seq").canConvertToLong() || !line.path("proof").isArray()) {
                    return new Failed(position, position, Problem.MALFORMED_ENTRY, "line of entry " + position
                            + " is not {\"type\":\"entry\",\"seq\":...,\"entry\":{...},\"proof\":[...]}");
                }
                byte[] leaf;
                List<byte[]> proof;
                try {
                    leaf = AuditEntry.canonicalize(line.path("entry"));
                    proof = hashes(line.get("proof"));
                } catch (AuditFormatException e) {
                    return new Failed(position, position, Problem.MALFORMED_ENTRY, "entry " + position + ": " + e.getMessage());
                }
                if (!pass.entry(line.get("seq").asLong(), leaf, null, proof)) {
                    return pass.failure;
                }
            }
            return pass.finish(trusted);
        }

        private static JsonNode parse(String line) {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                return null;
            }
        }

        private static List<byte[]> hashes(JsonNode array) {
            List<byte[]> out = new ArrayList<>();
            if (!array.isArray()) {
                throw new AuditFormatException("proof is not an array of base64 hashes");
            }
            for (JsonNode h : array) {
                try {
                    out.add(Base64.getDecoder().decode(h.asText()));
                } catch (IllegalArgumentException e) {
                    throw new AuditFormatException("proof hash '" + h.asText() + "' is not base64");
                }
            }
            return out;
        }
    }
}
