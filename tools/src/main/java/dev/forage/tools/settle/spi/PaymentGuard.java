package dev.forage.tools.settle.spi;

/**
 * Decides whether a payment may be signed. Settlement and x402 ask the guard before every
 * signature that can move money (transfers, EIP-3009 authorizations, escrow deposits, locks,
 * releases and vouchers); on a denial nothing is signed and a
 * {@link dev.forage.tools.settle.PaymentDeniedException} is thrown.
 *
 * <p>The policy engine implements this through an adapter in the runtime. Implementations
 * must be thread-safe and must not sign anything themselves. A guard that throws is treated as
 * a denial: payments fail closed.
 */
@FunctionalInterface
public interface PaymentGuard {

    /** Allow or deny {@code request}. */
    PaymentDecision check(PaymentRequest request);
}
