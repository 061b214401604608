package dev.forage.tools.x402;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A settled x402 payment, from the resource server's {@code PAYMENT-RESPONSE} (v2) or
 * {@code X-PAYMENT-RESPONSE} (v1).
 *
 * @param idempotencyKey the key the payment was made under
 * @param x402Version the protocol version used
 * @param chain the chain it settled on
 * @param transaction the settling transaction's hash
 * @param payer who paid
 * @param payTo who was paid
 * @param asset the token
 * @param amount base units authorized
 * @param nonce the EIP-3009 nonce of the authorization
 * @param resource what was paid for
 */
public record PaymentReceipt(
        String idempotencyKey,
        int x402Version,
        ChainId chain,
        String transaction,
        Address payer,
        Address payTo,
        Address asset,
        BigInteger amount,
        String nonce,
        String resource) {

    public PaymentReceipt {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(chain, "chain");
        if (transaction == null || !transaction.matches("0x[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("a receipt's transaction must be a 32-byte 0x hash, got " + transaction);
        }
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(payTo, "payTo");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(resource, "resource");
    }
}
