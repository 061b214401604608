package dev.forage.policies;

/**
 * The root of every failure this module throws. Expected outcomes (a denied spend, an
 * exhausted budget, a pending approval) are values, never exceptions; an exception means the
 * caller did something wrong or a resource failed.
 *
 * <p>{@link #retriable()} tells a retry layer whether repeating the same call can succeed:
 * only storage failures are retriable; bad input, conflicting idempotency keys and policy
 * load errors are not.
 */
public abstract sealed class PolicyException extends RuntimeException
        permits InvalidValueException,
                PolicyLoadException,
                IdempotencyConflictException,
                LedgerUnavailableException,
                ApprovalStateException {

    PolicyException(String message) {
        super(message);
    }

    PolicyException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether repeating the same call later can succeed. */
    public abstract boolean retriable();
}
