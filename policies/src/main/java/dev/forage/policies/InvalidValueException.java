package dev.forage.policies;

/**
 * A value broke its contract: a malformed amount, too many decimals, a negative or
 * overflowing amount, arithmetic across two assets, a blank id. Not retriable: fix the input.
 */
public final class InvalidValueException extends PolicyException {

    /**
     * @param message what was wrong, with the offending value, and what to do
     */
    public InvalidValueException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, with the offending value, and what to do
     * @param cause the underlying failure
     */
    public InvalidValueException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean retriable() {
        return false;
    }
}
