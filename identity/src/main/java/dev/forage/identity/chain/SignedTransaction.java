package dev.forage.identity.chain;

import dev.forage.identity.Address;

/**
 * A transaction signed and ready to broadcast (or already broadcast). Its raw form can be
 * recorded before broadcast and broadcast again after a crash: it always has the same hash,
 * so the chain executes it at most once.
 *
 * @param hash the transaction hash
 * @param from the sender
 * @param nonce the sender's nonce it uses
 * @param raw the signed transaction, {@code 0x}-prefixed hex, as {@code eth_sendRawTransaction} takes it
 * @param request what was asked for
 */
public record SignedTransaction(String hash, Address from, long nonce, String raw, TxRequest request) {

    @Override
    public String toString() {
        return "SignedTransaction[" + hash + ", from " + from + ", nonce " + nonce + "]";
    }
}
