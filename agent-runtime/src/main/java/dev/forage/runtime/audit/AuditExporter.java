package dev.forage.runtime.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.runtime.audit.internal.LogSchema;
import dev.forage.runtime.audit.merkle.MerkleTree;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes a log as JSON Lines that {@link AuditVerifier} checks offline, with no access to the
 * database:
 *
 * <pre>{@code
 * {"type":"checkpoint","checkpoint":"<latest signed checkpoint note>"}
 * {"type":"consistency","checkpoint":"<an earlier signed checkpoint>","proof":["<base64>",...]}   one per earlier checkpoint
 * {"type":"entry","seq":0,"entry":{...canonical entry...},"proof":["<base64>",...]}           one per entry
 * }</pre>
 *
 * Consistency proofs lead from each earlier checkpoint to the latest; inclusion proofs lead
 * from each entry to the latest checkpoint's root. Entries after the latest checkpoint are
 * not exported (they are not signed yet): cut a checkpoint first to include them.
 */
public final class AuditExporter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditExporter() {}

    /**
     * Exports the log database at {@code db} (read-only; it may be open in another process).
     *
     * @return the number of entries written
     * @throws AuditFormatException if the log has no checkpoint yet
     * @throws AuditStorageException if reading or writing fails
     */
    public static long export(Path db, Writer out) {
        try (Connection c = LogSchema.openReadOnly(db)) {
            c.setAutoCommit(false);
            List<SignedCheckpoint> checkpoints = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT note FROM checkpoints ORDER BY tree_size")) {
                while (rs.next()) {
                    checkpoints.add(SignedCheckpoint.parse(rs.getString(1)));
                }
            }
            if (checkpoints.isEmpty()) {
                throw new AuditFormatException("audit log " + db + " has no checkpoint yet; open the log and cut one first");
            }
            SignedCheckpoint latest = checkpoints.get(checkpoints.size() - 1);
            long size = latest.checkpoint().treeSize();
            MerkleTree tree = new MerkleTree();
            try (PreparedStatement s = c.prepareStatement("SELECT leaf_hash FROM entries WHERE seq < ? ORDER BY seq")) {
                s.setLong(1, size);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        tree.append(rs.getBytes(1));
                    }
                }
            }
            if (tree.size() != size) {
                throw new AuditFormatException("audit log " + db + " has " + tree.size() + " entries below its latest"
                        + " checkpoint size " + size + "; run forage audit verify on it");
            }
            ObjectNode head = JSON.createObjectNode().put("type", "checkpoint").put("checkpoint", latest.encode());
            out.write(JSON.writeValueAsString(head));
            out.write('\n');
            for (SignedCheckpoint cp : checkpoints.subList(0, checkpoints.size() - 1)) {
                ObjectNode line = JSON.createObjectNode().put("type", "consistency").put("checkpoint", cp.encode());
                line.set("proof", base64(tree.consistencyProof(cp.checkpoint().treeSize(), size)));
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
            try (PreparedStatement s = c.prepareStatement("SELECT seq, leaf FROM entries WHERE seq < ? ORDER BY seq")) {
                s.setLong(1, size);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        // the canonical bytes go in as they are, so the verifier re-canonicalizes exactly them
                        out.write("{\"type\":\"entry\",\"seq\":" + seq + ",\"entry\":");
                        out.write(new String(rs.getBytes(2), StandardCharsets.UTF_8));
                        out.write(",\"proof\":");
                        out.write(JSON.writeValueAsString(base64(tree.inclusionProof(seq, size))));
                        out.write("}\n");
                    }
                }
            }
            out.flush();
            return size;
        } catch (SQLException | IOException e) {
            throw new AuditStorageException("cannot export audit log " + db + ": " + e.getMessage(), e);
        }
    }

    private static ArrayNode base64(List<byte[]> hashes) {
        ArrayNode array = JSON.createArrayNode();
        hashes.forEach(h -> array.add(Base64.getEncoder().encodeToString(h)));
        return array;
    }
}
