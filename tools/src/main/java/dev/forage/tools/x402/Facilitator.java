package dev.forage.tools.x402;

/**
 * An x402 facilitator: verifies payment payloads against requirements and settles them on
 * chain. Synchronous and blocking; run it on a virtual thread, never on an event loop.
 *
 * <p>Expected outcomes are values: an invalid payment is a {@link VerifyResponse} with
 * {@code isValid == false}, a failed settlement a {@link SettlementResponse} with
 * {@code success == false}, each with an x402 error code. {@link #settle} is idempotent for
 * the same authorization: settling it again returns the transaction that settled it.
 * Resource servers call {@link #verify} first, which refuses an authorization already used, so
 * a replayed payment never buys a second response.
 */
public interface Facilitator {

    /** Whether {@code payload} is a valid payment for {@code requirements} right now. */
    VerifyResponse verify(PaymentPayload payload, PaymentRequirements requirements);

    /** Verifies and settles {@code payload} on chain. */
    SettlementResponse settle(PaymentPayload payload, PaymentRequirements requirements);

    /** The versions, schemes and networks this facilitator settles. */
    SupportedResponse supported();
}
