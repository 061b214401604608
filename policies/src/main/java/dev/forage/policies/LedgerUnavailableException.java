package dev.forage.policies;

/**
 * The budget ledger could not make an operation durable (an I/O or database failure) or was
 * closed. After a storage failure the ledger refuses every further operation, because its
 * memory may be ahead of its disk; reopen it to recover from the durable state. Retriable:
 * the same call can succeed against a reopened ledger.
 */
public final class LedgerUnavailableException extends PolicyException {

    /**
     * @param message what failed and what to do
     * @param cause the underlying failure
     */
    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param message what failed and what to do
     */
    public LedgerUnavailableException(String message) {
        super(message);
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
