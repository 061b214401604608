package dev.forage.runtime.audit;

import java.util.Locale;

/** The ids an entry can be about, so that all entries of one intent, lease, job or tx can be found. */
public enum SubjectKind {
    /** A spend intent id (the pipeline's idempotency key). */
    INTENT,
    /** A compute lease id. */
    LEASE,
    /** An inference or compute job id. */
    JOB,
    /** An on-chain transaction hash. */
    TX_HASH;

    /** The name in an entry's JSON, e.g. {@code tx_hash}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind with this wire name.
     *
     * @throws AuditFormatException if there is none
     */
    public static SubjectKind fromWireName(String wireName) {
        for (SubjectKind kind : values()) {
            if (kind.wireName().equals(wireName)) {
                return kind;
            }
        }
        throw new AuditFormatException("unknown subject kind '" + wireName + "'; use intent, lease, job or tx_hash");
    }
}
