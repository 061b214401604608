package dev.forage.runtime.audit;

/**
 * Input or stored data is malformed or inconsistent: an entry that cannot be canonicalized, a
 * malformed key or signed note, a log whose stored tree does not match its last checkpoint.
 * Not retriable: the same input fails the same way.
 */
public final class AuditFormatException extends AuditException {

    /** A format failure naming what was wrong. */
    public AuditFormatException(String message) {
        super(message, null);
    }

    /** A format failure with its cause. */
    public AuditFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
