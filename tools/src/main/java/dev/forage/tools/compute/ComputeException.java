package dev.forage.tools.compute;

import dev.forage.tools.ToolException;

/**
 * A market refused or could not do what was asked, in market terms (transport and HTTP
 * failures are {@link dev.forage.tools.http.RemoteCallException}s).
 */
public final class ComputeException extends ToolException {

    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** The offer was taken or withdrawn; ask for offers again. */
        OFFER_GONE(false),
        /** The market has no capacity for this now; another market or later may. */
        NO_CAPACITY(true),
        /** The market refused the request as invalid (a spec or terms it cannot meet). */
        INVALID_REQUEST(false),
        /** No such lease on this market. */
        LEASE_NOT_FOUND(false),
        /** The lease has ended; it cannot be extended. */
        LEASE_ENDED(false),
        /** A price in a unit this adapter cannot convert (say, a denom without a configured rate). */
        UNPRICEABLE(false);

        private final boolean retriable;

        Reason(boolean retriable) {
            this.retriable = retriable;
        }
    }

    private final String market;
    private final Reason reason;

    public ComputeException(String market, Reason reason, String message) {
        super(market + ": " + message, reason.retriable);
        this.market = market;
        this.reason = reason;
    }

    public ComputeException(String market, Reason reason, String message, Throwable cause) {
        super(market + ": " + message, reason.retriable, cause);
        this.market = market;
        this.reason = reason;
    }

    /** The market. */
    public String market() {
        return market;
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }
}
