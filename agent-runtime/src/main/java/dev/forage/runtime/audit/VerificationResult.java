package dev.forage.runtime.audit;

/**
 * What {@link AuditVerifier} found: the log verified, or the first problem, naming the first
 * bad entry.
 */
public sealed interface VerificationResult permits VerificationResult.Verified, VerificationResult.Failed {

    /** Number of entries read before the verdict. */
    long entriesChecked();

    /** Whether the log verified. */
    default boolean ok() {
        return this instanceof Verified;
    }

    /**
     * Every entry, checkpoint, proof and signature checked out.
     *
     * @param entriesChecked entries recomputed
     * @param checkpointsChecked checkpoints whose signature, root and consistency were checked
     * @param signedSize the size of the latest checkpoint: entries below it are proven
     * @param unsignedTail entries after the latest checkpoint, consistent but not yet signed
     */
    record Verified(long entriesChecked, int checkpointsChecked, long signedSize, long unsignedTail)
            implements VerificationResult {}

    /**
     * Verification failed.
     *
     * @param entriesChecked entries read before the failure
     * @param firstBadEntry the first entry the verifier cannot vouch for: every entry before it
     *     is proven by the data, its hashes and the signed checkpoints, so the tampering starts
     *     at this entry or after it (within the range the message names)
     * @param problem what kind of tampering or damage was found
     * @param message what was found, with the values involved
     */
    record Failed(long entriesChecked, long firstBadEntry, Problem problem, String message)
            implements VerificationResult {}

    /** Kinds of problems. */
    enum Problem {
        /** An entry's stored bytes are not a canonical, well-formed entry. */
        MALFORMED_ENTRY,
        /** An entry's bytes do not match its recorded hash or its inclusion proof. */
        MODIFIED_ENTRY,
        /** An entry is missing: a gap in the sequence. */
        MISSING_ENTRY,
        /** An entry sits at a position other than its own sequence number: reordered, inserted or deleted entries. */
        MISORDERED_ENTRY,
        /** The recomputed tree does not match a signed checkpoint. */
        CHECKPOINT_MISMATCH,
        /** A checkpoint is malformed or not signed by the log's key. */
        BAD_SIGNATURE,
        /** Two checkpoints are not consistent with each other. */
        INCONSISTENT_CHECKPOINTS,
        /** The log is shorter than a checkpoint it signed: entries were cut off. */
        TRUNCATED,
        /** The log does not match a trusted checkpoint of the same origin and key: it is another history. */
        FORK
    }
}
