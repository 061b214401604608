package dev.forage.runtime.pipeline;

import dev.forage.policies.Money;
import java.util.Objects;
import java.util.Optional;

/**
 * Money that moved for an intent: what the ledger posts.
 *
 * @param actual the amount paid, at most the intent's amount
 * @param txHash the settlement transaction, when one is known
 * @param reference what the payment was made with, for people and the audit log: an x402
 *     receipt's nonce, a voucher's lease and sequence, an escrow release; empty when none
 */
public record Paid(Money actual, Optional<String> txHash, String reference) {
    public Paid {
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(reference, "reference");
    }

    /** A payment with a transaction hash and no further reference. */
    public static Paid of(Money actual, String txHash) {
        return new Paid(actual, Optional.of(txHash), "");
    }
}
