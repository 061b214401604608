package dev.forage.tools.x402;

import java.util.Objects;
import java.util.Optional;

/**
 * The x402 {@code SettlementResponse} ({@code SettleResponse}): the facilitator's answer to
 * {@code /settle}, and what the resource server returns in {@code PAYMENT-RESPONSE} (v2) or
 * {@code X-PAYMENT-RESPONSE} (v1).
 *
 * @param success whether the payment settled
 * @param errorReason why not, an x402 error code such as {@code insufficient_funds}
 * @param payer the payer's address
 * @param transaction the transaction hash; empty string when settlement failed
 * @param network the network, as written in the payment's version
 */
public record SettlementResponse(
        boolean success, Optional<String> errorReason, Optional<String> payer, String transaction, String network) {

    public SettlementResponse {
        Objects.requireNonNull(errorReason, "errorReason");
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(network, "network");
    }

    /** A failed settlement. */
    public static SettlementResponse failure(String errorReason, Optional<String> payer, String network) {
        return new SettlementResponse(false, Optional.of(errorReason), payer, "", network);
    }
}
