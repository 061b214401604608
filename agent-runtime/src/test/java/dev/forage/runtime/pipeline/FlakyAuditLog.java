package dev.forage.runtime.pipeline;

import dev.forage.runtime.audit.AuditEntry;
import dev.forage.runtime.audit.AuditEvent;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditStorageException;
import dev.forage.runtime.audit.merkle.ConsistencyProof;
import dev.forage.runtime.audit.merkle.InclusionProof;
import dev.forage.runtime.audit.note.NoteVerifier;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** A real audit log whose appends can be made to fail, as a full disk or a lost volume would. */
final class FlakyAuditLog implements AuditLog {

    private final AuditLog log;
    private volatile Predicate<AuditEvent> failing = e -> false;

    FlakyAuditLog(AuditLog log) {
        this.log = log;
    }

    /** From now on, appends of events matching {@code when} fail. */
    void failWhen(Predicate<AuditEvent> when) {
        this.failing = when;
    }

    /** Appends succeed again. */
    void heal() {
        this.failing = e -> false;
    }

    @Override
    public CompletableFuture<AuditEntry> append(AuditEvent event) {
        if (failing.test(event)) {
            return CompletableFuture.failedFuture(new AuditStorageException("disk full (simulated)"));
        }
        return log.append(event);
    }

    @Override
    public CompletableFuture<SignedCheckpoint> checkpoint() {
        return log.checkpoint();
    }

    @Override
    public String origin() {
        return log.origin();
    }

    @Override
    public NoteVerifier verifier() {
        return log.verifier();
    }

    @Override
    public long size() {
        return log.size();
    }

    @Override
    public Optional<SignedCheckpoint> latestCheckpoint() {
        return log.latestCheckpoint();
    }

    @Override
    public List<SignedCheckpoint> checkpoints() {
        return log.checkpoints();
    }

    @Override
    public AuditEntry entry(long sequence) {
        return log.entry(sequence);
    }

    @Override
    public byte[] rootHash(long treeSize) {
        return log.rootHash(treeSize);
    }

    @Override
    public InclusionProof inclusionProof(long sequence, long treeSize) {
        return log.inclusionProof(sequence, treeSize);
    }

    @Override
    public ConsistencyProof consistencyProof(long size1, long size2) {
        return log.consistencyProof(size1, size2);
    }

    @Override
    public void close() {
        log.close();
    }
}
