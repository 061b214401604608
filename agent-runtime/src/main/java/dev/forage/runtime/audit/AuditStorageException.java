package dev.forage.runtime.audit;

/**
 * The log's storage failed (I/O error, database busy or closed). Retriable: the entry was not
 * made durable and no sequence number was consumed, so the caller may append it again.
 */
public final class AuditStorageException extends AuditException {

    /** A storage failure with its cause. */
    public AuditStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A storage failure without an underlying exception. */
    public AuditStorageException(String message) {
        super(message, null);
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
