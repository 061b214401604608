package dev.forage.policies;

/**
 * The same idempotency key (an intent id) was used again with different arguments. The first
 * call's arguments stand; a caller that gets this has a bug in how it derives intent ids.
 */
public final class IdempotencyConflictException extends PolicyException {

    private final String intentId;

    /**
     * @param intentId the reused id
     * @param message what differed between the first call and this one
     */
    public IdempotencyConflictException(String intentId, String message) {
        super(message);
        this.intentId = intentId;
    }

    /** The intent id that was reused with different arguments. */
    public String intentId() {
        return intentId;
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
