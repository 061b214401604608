package dev.forage.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forage.runtime.audit.VerificationResult.Failed;
import dev.forage.runtime.audit.VerificationResult.Problem;
import dev.forage.runtime.audit.merkle.MerkleProofs;
import dev.forage.runtime.audit.merkle.Rfc6962;
import dev.forage.runtime.audit.note.Checkpoint;
import dev.forage.runtime.audit.note.NoteVerifier;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** An export read into memory: its checkpoints, consistency proofs and entry lines. */
final class ExportReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    SignedCheckpoint checkpoint;
    final List<SignedCheckpoint> earlier = new ArrayList<>();
    final List<List<byte[]>> earlierProofs = new ArrayList<>();
    final List<JsonNode> entries = new ArrayList<>();
    final List<Integer> badLines = new ArrayList<>();

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

    VerificationResult verify(NoteVerifier key, List<AuditVerifier.Trusted> trusted) {
        String origin = checkpoint.checkpoint().origin();
        VerificationPass pass = new VerificationPass(key, origin);
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
