package dev.forage.runtime.pipeline;

import dev.forage.policies.SpendIntent;

/**
 * The remote work of an action: a purchase over x402, a lease on a market, an inference call.
 * Run once the intent is decided, reserved and authorised, on the caller's (virtual) thread;
 * the payment guard lets it sign for this intent and nothing else.
 *
 * @param <T> what it produces
 */
@FunctionalInterface
public interface Execution<T> {

    /**
     * Does the work. It may pay as part of it (x402 pays before the resource is served); then
     * {@link Executed#paid()} says what moved.
     *
     * @param intent the decided intent; its id is the idempotency key of any payment
     * @throws Exception when it fails; the chain tells from the guard whether a signature was
     *     made, and a failure after one is treated as a payment in doubt unless the exception
     *     says nothing moved (see {@link MoneyMovement})
     */
    Executed<T> execute(SpendIntent intent) throws Exception;
}
