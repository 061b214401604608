package dev.forage.identity.chain;

import dev.forage.identity.IdentityException;
import java.util.Optional;

/**
 * A chain operation failed. {@link #kind()} says how, and whether repeating it may succeed.
 */
public final class ChainException extends IdentityException {

    private static final long serialVersionUID = 1L;

    /** How a chain operation failed. */
    public enum Kind {
        /** The nonce was already used; the sender resynchronises and a retry takes a fresh one. */
        NONCE_TOO_LOW(true),
        /** The fee was too low for the pool or to replace a pending transaction. */
        UNDERPRICED(true),
        /** No answer (or no receipt) in time; the transaction may still be mined. */
        TIMEOUT(true),
        /** The node could not be reached (connection refused, reset, DNS). */
        CONNECTION_REFUSED(true),
        /** The contract reverted; see {@link #revert()}. */
        REVERTED(false),
        /** The sender cannot pay for value plus gas. */
        INSUFFICIENT_FUNDS(false),
        /** The node rejected the signature, the sender or the chain id. */
        INVALID_SIGNATURE(false),
        /** The node answered with another error; the message carries its text. */
        REJECTED(false);

        private final boolean retriable;

        Kind(boolean retriable) {
            this.retriable = retriable;
        }

        /** Whether repeating the operation may succeed. */
        public boolean retriable() {
            return retriable;
        }
    }

    private final Kind kind;
    private final String txHash;
    private final RevertReason revert;

    ChainException(Kind kind, String message, String txHash, RevertReason revert, Throwable cause) {
        super(message, kind.retriable(), cause);
        this.kind = kind;
        this.txHash = txHash;
        this.revert = revert;
    }

    static ChainException of(Kind kind, String message) {
        return new ChainException(kind, message, null, null, null);
    }

    /** How the operation failed. */
    public Kind kind() {
        return kind;
    }

    /** The hash of the transaction concerned, when one was broadcast. */
    public Optional<String> txHash() {
        return Optional.ofNullable(txHash);
    }

    /** The decoded revert, for {@link Kind#REVERTED}. */
    public Optional<RevertReason> revert() {
        return Optional.ofNullable(revert);
    }
}
