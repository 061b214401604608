package dev.forage.runtime.audit;

import dev.forage.runtime.AgentRuntimeException;

/**
 * Root of every failure the audit log raises. {@link #retriable()} tells a caller whether the
 * same call can succeed later (a full disk, a locked database) or never will (a malformed key,
 * a tampered log, an entry that cannot be canonicalized). Part of the runtime's one failure
 * hierarchy under {@link AgentRuntimeException}.
 */
public abstract sealed class AuditException extends AgentRuntimeException
        permits AuditStorageException, AuditFormatException {

    AuditException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether retrying the same operation unchanged may succeed. */
    @Override
    public abstract boolean retriable();
}
