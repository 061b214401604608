package dev.forage.identity;

/**
 * Root of every failure raised by the identity module. Failures are unchecked and say whether
 * repeating the same operation may succeed, so that callers (and Resilience4j) retry only
 * what can succeed.
 */
public class IdentityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    /**
     * @param message what was wrong, with the offending value, and what to do
     * @param retriable whether the same call may succeed if repeated later
     */
    public IdentityException(String message, boolean retriable) {
        super(message);
        this.retriable = retriable;
    }

    /**
     * @param message what was wrong, with the offending value, and what to do
     * @param retriable whether the same call may succeed if repeated later
     * @param cause the underlying failure; must not carry key material
     */
    public IdentityException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** Whether the same call may succeed if repeated later. */
    public boolean retriable() {
        return retriable;
    }
}
