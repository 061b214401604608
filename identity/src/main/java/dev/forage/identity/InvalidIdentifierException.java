package dev.forage.identity;

/**
 * An address, chain id, account id or agent id could not be parsed. The message names the
 * offending part and the expected form. Never retriable.
 */
public final class InvalidIdentifierException extends IdentityException {

    private static final long serialVersionUID = 1L;

    public InvalidIdentifierException(String message) {
        super(message, false);
    }
}
