package dev.forage.tools.compute.procure;

import dev.forage.tools.ToolException;

/** Procurement could not do its work for a reason outside the markets (a failing stats store). */
public final class ProcurementException extends ToolException {

    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** The provider statistics store cannot be read or written; check its file and disk. */
        STORE_FAILURE(false);

        private final boolean retriable;

        Reason(boolean retriable) {
            this.retriable = retriable;
        }
    }

    private final Reason reason;

    public ProcurementException(Reason reason, String message, Throwable cause) {
        super(message, reason.retriable, cause);
        this.reason = reason;
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }
}
