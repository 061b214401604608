package dev.forage.runtime.pipeline;

import dev.forage.tools.settle.PaymentDeniedException;
import dev.forage.tools.settle.SettlementException;
import dev.forage.tools.x402.X402Exception;

/**
 * Whether money may have moved when an execution or settlement failed. Before the payment
 * guard allowed any signature for the intent, nothing can have moved. After one, a failure
 * proves nothing moved only when it says so: the guard refused, the chain reverted or refused
 * the transaction, the server refused the payment, or the request was rejected before
 * anything was sent. Anything else (a lost connection, an unreadable answer, an unknown
 * receipt, a bug) leaves the payment in doubt.
 */
public final class MoneyMovement {

    private MoneyMovement() {}

    /**
     * Whether {@code failure}, seen after {@code signaturesAllowed} signatures were allowed for
     * the intent, leaves the payment in doubt.
     */
    public static boolean inDoubt(Throwable failure, int signaturesAllowed) {
        return signaturesAllowed > 0 && !provesNothingMoved(failure);
    }

    private static boolean provesNothingMoved(Throwable failure) {
        return switch (failure) {
            case PaymentDeniedException denied -> true;
            case SettlementException e -> switch (e.reason()) {
                case REVERTED, REJECTED, INVALID_ARGUMENT, VOUCHER_WRONG_SIGNER, VOUCHER_EXPIRED, VOUCHER_NOT_NEWER,
                        VOUCHER_ABOVE_LOCK, WRONG_PROVIDER, LEASE_NOT_OPEN, STORE_FAILURE -> true;
                case CHAIN_UNAVAILABLE -> false;
            };
            case X402Exception e -> switch (e.reason()) {
                case UNSUPPORTED_SCHEME, UNSUPPORTED_NETWORK, UNSUPPORTED_ASSET, AMOUNT_TOO_HIGH, UNSUPPORTED_VERSION,
                        PAYMENT_REJECTED -> true;
                case MALFORMED, TOO_LARGE, TRANSPORT -> false;
            };
            default -> false;
        };
    }
}
