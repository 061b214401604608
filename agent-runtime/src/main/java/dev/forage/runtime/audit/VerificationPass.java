package dev.forage.runtime.audit;

import dev.forage.runtime.audit.VerificationResult.Failed;
import dev.forage.runtime.audit.VerificationResult.Problem;
import dev.forage.runtime.audit.VerificationResult.Verified;
import dev.forage.runtime.audit.merkle.MerkleProofs;
import dev.forage.runtime.audit.merkle.MerkleTree;
import dev.forage.runtime.audit.merkle.Rfc6962;
import dev.forage.runtime.audit.note.Checkpoint;
import dev.forage.runtime.audit.note.NoteVerifier;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One pass over the entries in order, checking checkpoints as their sizes are reached. */
final class VerificationPass {
    final NoteVerifier key;
    final String origin;
    final List<SignedCheckpoint> checkpoints = new ArrayList<>();
    final MerkleTree tree = new MerkleTree();
    int nextCheckpoint;
    int checkpointsChecked;
    long vouched;
    SignedCheckpoint previous;
    Failed failure;

    VerificationPass(NoteVerifier key, String origin) {
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

    VerificationResult finish(List<AuditVerifier.Trusted> trusted) {
        long size = tree.size();
        if (nextCheckpoint < checkpoints.size()) {
            long signed = checkpoints.get(checkpoints.size() - 1).checkpoint().treeSize();
            fail(size, Problem.TRUNCATED, "the log has " + size + " entries but a checkpoint signs " + signed
                    + ": entries " + size + ".." + (signed - 1) + " were removed");
            return failure;
        }
        for (AuditVerifier.Trusted t : trusted) {
            if (!checkTrusted(t)) {
                return failure;
            }
        }
        return new Verified(size, checkpointsChecked, vouched, size - vouched);
    }

    private boolean checkTrusted(AuditVerifier.Trusted t) {
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
