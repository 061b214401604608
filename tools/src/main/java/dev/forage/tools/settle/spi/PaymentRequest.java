package dev.forage.tools.settle.spi;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What is about to be signed, put to a {@link PaymentGuard} first.
 *
 * @param id the idempotency key (the intent id); the same payment always carries the same id
 * @param action what the signature does, dotted lower case: {@value #TRANSFER},
 *     {@value #X402}, {@value #DEPOSIT}, {@value #LOCK}, {@value #RELEASE}, {@value #VOUCHER}
 * @param payer who pays (the signing agent's address)
 * @param payee who receives: the provider, the resource server's {@code payTo}, or the escrow
 *     contract for a deposit
 * @param asset the token contract
 * @param network the CAIP-2 chain the payment settles on
 * @param amount base units that may leave the payer because of this signature (for a voucher,
 *     the increment over the previous voucher; for a lock, the amount reserved)
 * @param resource what is paid for: a URL, a lease id; empty when there is none
 * @param scheme how it is paid: {@code transfer}, {@code exact} (x402 EIP-3009),
 *     {@code escrow} or {@code voucher}
 */
public record PaymentRequest(
        String id,
        String action,
        Address payer,
        Address payee,
        Address asset,
        ChainId network,
        BigInteger amount,
        String resource,
        String scheme) {

    /** A plain ERC-20 transfer. */
    public static final String TRANSFER = "payment.transfer";
    /** An x402 payment (an EIP-3009 authorization a facilitator settles). */
    public static final String X402 = "payment.x402";
    /** A deposit into the escrow. */
    public static final String DEPOSIT = "escrow.deposit";
    /** A lease lock in the escrow. */
    public static final String LOCK = "escrow.lock";
    /** An escrow lease released to its provider. */
    public static final String RELEASE = "escrow.release";
    /** A cumulative voucher for an escrow lease. */
    public static final String VOUCHER = "escrow.voucher";

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_\\-]*(\\.[a-z][a-z0-9_\\-]*)*");
    private static final int MAX_TEXT = 2048;

    public PaymentRequest {
        if (id == null || id.isBlank() || id.length() > 256) {
            throw new IllegalArgumentException("payment id (the idempotency key) must be 1 to 256 characters, got "
                    + (id == null ? "none" : "'" + id + "'"));
        }
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("payment action '" + action + "' must be dotted lower case, e.g. payment.x402");
        }
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(payee, "payee");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(network, "network");
        if (amount == null || amount.signum() < 0) {
            throw new IllegalArgumentException("payment amount must be zero or more base units, got " + amount);
        }
        if (resource == null || resource.length() > MAX_TEXT) {
            throw new IllegalArgumentException("payment resource must be given (empty for none) and at most "
                    + MAX_TEXT + " characters");
        }
        if (scheme == null || scheme.isBlank()) {
            throw new IllegalArgumentException("payment scheme must not be empty, e.g. 'exact'");
        }
    }
}
