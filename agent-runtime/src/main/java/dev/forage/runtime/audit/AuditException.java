package dev.forage.runtime.audit;

/**
 * Root of every failure the audit log raises. {@link #retriable()} tells a caller whether the
 * same call can succeed later (a full disk, a locked database) or never will (a malformed key,
 * a tampered log, an entry that cannot be canonicalized).
 */
public abstract sealed class AuditException extends RuntimeException
        permits AuditStorageException, AuditFormatException {

    AuditException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether retrying the same operation unchanged may succeed. */
    public abstract boolean retriable();
}
