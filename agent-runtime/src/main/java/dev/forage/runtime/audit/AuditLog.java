package dev.forage.runtime.audit;

import dev.forage.runtime.audit.internal.SqliteAuditLog;
import dev.forage.runtime.audit.merkle.ConsistencyProof;
import dev.forage.runtime.audit.merkle.InclusionProof;
import dev.forage.runtime.audit.note.NoteVerifier;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An append-only, tamper-evident log of audit entries: an RFC 6962 Merkle tree over the
 * entries' canonical bytes, with C2SP checkpoints signed by the log's Ed25519 key.
 *
 * <p>Appends may come from any number of threads. Each returns a future that completes once
 * the entry is durable (committed and synced to disk); entries that arrive while a commit is
 * in flight are committed together (group commit). The futures complete on the log's writer
 * thread: use the {@code *Async} variants for slow continuations.
 */
public interface AuditLog extends AutoCloseable {

    /**
     * Opens (or creates) the log described by {@code config}, loading or creating its signing key.
     *
     * @throws AuditFormatException if the stored log does not match its last checkpoint or the
     *     key file is invalid
     * @throws AuditStorageException if the files cannot be opened
     */
    static AuditLog open(AuditLogConfig config) {
        return SqliteAuditLog.open(config);
    }

    /**
     * Appends an event. The future completes with the stored entry once it is durable, or
     * exceptionally with an {@link AuditStorageException} (nothing was stored) or, after
     * {@link #close()}, an {@link AuditStorageException} too.
     */
    CompletableFuture<AuditEntry> append(AuditEvent event);

    /**
     * Cuts and signs a checkpoint now, covering every entry appended before this call. If no
     * entry was added since the last checkpoint, completes with that checkpoint.
     */
    CompletableFuture<SignedCheckpoint> checkpoint();

    /** The log's origin, the first line of its checkpoints. */
    String origin();

    /** The public verifier key of the log's signing key; give it to whoever verifies the log. */
    NoteVerifier verifier();

    /** Number of durable entries. */
    long size();

    /** The most recent checkpoint, if any was cut. */
    Optional<SignedCheckpoint> latestCheckpoint();

    /** Every checkpoint, oldest first. */
    List<SignedCheckpoint> checkpoints();

    /**
     * The entry at {@code sequence}.
     *
     * @throws IllegalArgumentException if there is no such entry
     */
    AuditEntry entry(long sequence);

    /** The root hash of the tree of the first {@code treeSize} entries. */
    byte[] rootHash(long treeSize);

    /** The inclusion proof of entry {@code sequence} in the tree of the first {@code treeSize} entries. */
    InclusionProof inclusionProof(long sequence, long treeSize);

    /** The consistency proof between the trees of the first {@code size1} and {@code size2} entries. */
    ConsistencyProof consistencyProof(long size1, long size2);

    /** Completes pending appends, cuts a final checkpoint if entries are uncovered, and closes the files. */
    @Override
    void close();
}
