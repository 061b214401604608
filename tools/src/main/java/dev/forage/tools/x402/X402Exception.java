package dev.forage.tools.x402;

import dev.forage.tools.ToolException;

/**
 * An x402 exchange failed. {@link #reason()} says how. When the client refuses a payment
 * request it signs nothing.
 */
public final class X402Exception extends ToolException {

    private static final long serialVersionUID = 1L;

    /** How an x402 exchange failed. */
    public enum Reason {
        /** No offered requirement uses a scheme this client pays with ({@code exact}). */
        UNSUPPORTED_SCHEME(false),
        /** No offered requirement is on a network this client pays on. */
        UNSUPPORTED_NETWORK(false),
        /** No offered requirement is in an asset this client pays with. */
        UNSUPPORTED_ASSET(false),
        /** Every acceptable requirement asks for more than the client's own per-payment limit. */
        AMOUNT_TOO_HIGH(false),
        /** The x402 version is not 1 or 2. */
        UNSUPPORTED_VERSION(false),
        /** A header or body is not valid base64 / JSON / x402. */
        MALFORMED(false),
        /** A header or body is larger than the configured limit. */
        TOO_LARGE(false),
        /** The server refused the payment (verification or settlement failed). */
        PAYMENT_REJECTED(false),
        /** The HTTP exchange failed (connection, timeout); retrying with the same key is safe. */
        TRANSPORT(true);

        private final boolean retriable;

        Reason(boolean retriable) {
            this.retriable = retriable;
        }
    }

    private final Reason reason;

    public X402Exception(Reason reason, String message) {
        super(message, reason.retriable);
        this.reason = reason;
    }

    public X402Exception(Reason reason, String message, Throwable cause) {
        super(message, reason.retriable, cause);
        this.reason = reason;
    }

    /** How it failed. */
    public Reason reason() {
        return reason;
    }
}
