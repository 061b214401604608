package dev.forage.runtime.pipeline;

import dev.forage.policies.SpendIntent;

/**
 * Pays for a result after it passed verification: an escrow release, a cumulative voucher.
 * Runs while the payment guard still authorises the intent.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Settlement<T> {

    /**
     * Pays for {@code result}.
     *
     * @return what moved; the ledger posts it
     * @throws Exception when it fails (see {@link Execution#execute} for how a failure after a
     *     signature is treated)
     */
    Paid settle(SpendIntent intent, T result) throws Exception;
}
