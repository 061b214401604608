package dev.forage.tools;

/**
 * Root of every failure raised by the tools module. Failures are unchecked and say whether
 * repeating the same call may succeed, so that callers (and Resilience4j) retry only what can.
 */
public class ToolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    /**
     * @param message what was wrong, with the offending value, and what to do
     * @param retriable whether the same call may succeed if repeated later
     */
    public ToolException(String message, boolean retriable) {
        super(message);
        this.retriable = retriable;
    }

    /**
     * @param message what was wrong, with the offending value, and what to do
     * @param retriable whether the same call may succeed if repeated later
     * @param cause the underlying failure; must not carry key material
     */
    public ToolException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** Whether the same call may succeed if repeated later. */
    public boolean retriable() {
        return retriable;
    }
}
