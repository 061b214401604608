package dev.forage.tools.settle;

import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.RevertReason;
import dev.forage.tools.ToolException;
import java.util.Optional;

/**
 * A settlement operation failed. {@link #reason()} says how; {@link #retriable()} whether the
 * same call (with the same idempotency key) may succeed later. Retrying with the same key never
 * pays twice.
 */
public final class SettlementException extends ToolException {

    private static final long serialVersionUID = 1L;

    /** How a settlement operation failed. */
    public enum Reason {
        /** A contract call reverted; {@link #revert()} has the decoded reason. */
        REVERTED,
        /** The chain could not be reached or did not answer in time; retry with the same key. */
        CHAIN_UNAVAILABLE,
        /** The node refused the transaction (funds for gas, signature, other). */
        REJECTED,
        /** The payment store failed; nothing was signed after the failure. */
        STORE_FAILURE,
        /** A voucher was not signed by the lease's agent. */
        VOUCHER_WRONG_SIGNER,
        /** A voucher's lease has expired; it can no longer be redeemed. */
        VOUCHER_EXPIRED,
        /** A voucher does not increase on the latest one (replayed or older). */
        VOUCHER_NOT_NEWER,
        /** A voucher's amount is above the lease's lock. */
        VOUCHER_ABOVE_LOCK,
        /** A voucher or lease is for another provider. */
        WRONG_PROVIDER,
        /** The lease is not open: never locked, or already released, redeemed or refunded. */
        LEASE_NOT_OPEN,
        /** An argument was invalid. */
        INVALID_ARGUMENT
    }

    private final Reason reason;
    private final transient RevertReason revert;

    public SettlementException(Reason reason, String message, boolean retriable) {
        this(reason, message, retriable, null, null);
    }

    public SettlementException(Reason reason, String message, boolean retriable, RevertReason revert, Throwable cause) {
        super(message, retriable, cause);
        this.reason = reason;
        this.revert = revert;
    }

    /** Wraps a chain failure, keeping whether it is retriable and its decoded revert. */
    public static SettlementException of(String what, ChainException e) {
        Reason reason = switch (e.kind()) {
            case REVERTED -> Reason.REVERTED;
            case TIMEOUT, CONNECTION_REFUSED, NONCE_TOO_LOW, UNDERPRICED -> Reason.CHAIN_UNAVAILABLE;
            default -> Reason.REJECTED;
        };
        return new SettlementException(reason, what + ": " + e.getMessage(), e.retriable(), e.revert().orElse(null), e);
    }

    /** How it failed. */
    public Reason reason() {
        return reason;
    }

    /** The decoded revert, for {@link Reason#REVERTED}. */
    public Optional<RevertReason> revert() {
        return Optional.ofNullable(revert);
    }
}
