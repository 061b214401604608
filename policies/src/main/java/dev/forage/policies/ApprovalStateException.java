package dev.forage.policies;

/**
 * An approval request cannot take the requested transition: it is unknown, already decided
 * the other way, or expired. Not retriable.
 */
public final class ApprovalStateException extends PolicyException {

    /**
     * @param message what was wrong, with the request id, and what to do
     */
    public ApprovalStateException(String message) {
        super(message);
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
