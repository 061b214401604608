package dev.forage.runtime.audit;

/**
 * The ids an entry can be about, so that all entries of one intent, lease, job or tx can be
 * found. Wire names are explicit and part of the log format; a test pins them.
 */
public enum SubjectKind {
    /** A spend intent id (the pipeline's idempotency key). */
    INTENT("intent"),
    /** A compute lease id. */
    LEASE("lease"),
    /** An inference or compute job id. */
    JOB("job"),
    /** An on-chain transaction hash. */
    TX_HASH("tx_hash");

    private final String wireName;

    SubjectKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in an entry's JSON, e.g. {@code tx_hash}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The kind with this wire name.
     *
     * @throws AuditFormatException if there is none
     */
    public static SubjectKind fromWireName(String wireName) {
        for (SubjectKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return kind;
            }
        }
        throw new AuditFormatException("unknown subject kind '" + wireName + "'; use intent, lease, job or tx_hash");
    }
}
