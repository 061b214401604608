package dev.forage.tools.settle;

import dev.forage.identity.chain.TxReceipt;
import java.util.Objects;

/**
 * A payment that was made, exactly once.
 *
 * @param key its idempotency key
 * @param receipt the receipt of the transaction that made it
 * @param resumed whether this call found the payment already made or in flight (after a retry
 *     or a restart) instead of signing a new transaction
 */
public record Payment(String key, TxReceipt receipt, boolean resumed) {

    public Payment {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(receipt, "receipt");
    }

    /** The hash of the transaction that made the payment. */
    public String txHash() {
        return receipt.txHash();
    }
}
