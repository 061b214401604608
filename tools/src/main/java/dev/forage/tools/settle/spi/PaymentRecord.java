package dev.forage.tools.settle.spi;

import dev.forage.identity.Address;
import dev.forage.identity.chain.SignedTransaction;
import dev.forage.identity.chain.TxRequest;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The write-ahead record of one payment, keyed by its idempotency key. It is stored with the
 * signed transaction before the transaction is broadcast, so that after a crash the same
 * transaction (same hash, same nonce) is found and never a second one signed.
 *
 * @param key the idempotency key (the intent id)
 * @param description what the payment is, for people
 * @param state where the payment is
 * @param tx the signed transaction, from {@link State#SIGNED} on; empty when the payment was
 *     found on chain without a record of its own
 * @param txHash the hash of the transaction that made (or attempts) the payment: the recorded
 *     transaction's, or the one found on chain
 * @param blockNumber the block it was mined in, once known
 * @param detail why it failed or was superseded; empty otherwise
 * @param updatedAt when the record was last written
 */
public record PaymentRecord(
        String key,
        String description,
        State state,
        Optional<Tx> tx,
        Optional<String> txHash,
        Optional<Long> blockNumber,
        String detail,
        Instant updatedAt) {

    /** Where a payment is. */
    public enum State {
        /** Signed and recorded; it may or may not have reached the node. */
        SIGNED,
        /** The node accepted it; not yet seen mined. */
        BROADCAST,
        /** Mined and succeeded: paid, exactly once. */
        DONE,
        /** Mined and reverted: nothing was paid. */
        FAILED,
        /** It can never be mined (its nonce was used by another transaction): nothing was paid. */
        SUPERSEDED;

        /** Whether the payment's outcome is still unknown. */
        public boolean inFlight() {
            return this == SIGNED || this == BROADCAST;
        }
    }

    /**
     * A signed transaction as recorded: enough to broadcast it again and to replay it for a
     * revert reason.
     *
     * @param hash the transaction hash
     * @param from the sender
     * @param nonce the sender's nonce it uses
     * @param raw the signed transaction, {@code 0x}-prefixed hex
     * @param to the recipient contract
     * @param data the calldata
     * @param value wei sent along
     */
    public record Tx(String hash, Address from, long nonce, String raw, Optional<Address> to, String data, BigInteger value) {
        public Tx {
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(raw, "raw");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(value, "value");
        }

        /** The record of a signed transaction. */
        public static Tx of(SignedTransaction tx) {
            return new Tx(tx.hash(), tx.from(), tx.nonce(), tx.raw(), tx.request().to(), tx.request().data(), tx.request().value());
        }

        /** The signed transaction again. */
        public SignedTransaction signedTransaction() {
            return new SignedTransaction(hash, from, nonce, raw, new TxRequest(to, data, value, 0));
        }

        @Override
        public String toString() {
            return "Tx[" + hash + ", from " + from + ", nonce " + nonce + "]";
        }
    }

    public PaymentRecord {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("payment record key must not be empty");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(tx, "tx");
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(blockNumber, "blockNumber");
        if (tx.isPresent()) {
            if (txHash.isPresent() && !txHash.get().equalsIgnoreCase(tx.get().hash())) {
                throw new IllegalArgumentException("payment record " + key + " has transaction " + tx.get().hash()
                        + " but hash " + txHash.get());
            }
            txHash = Optional.of(tx.get().hash());
        }
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (state.inFlight() && tx.isEmpty()) {
            throw new IllegalArgumentException("payment record " + key + " in state " + state + " needs its signed transaction");
        }
        if (state == State.DONE && txHash.isEmpty()) {
            throw new IllegalArgumentException("payment record " + key + " is done but names no transaction");
        }
    }

    /** The record of a transaction just signed, stored before it is broadcast. */
    public static PaymentRecord signed(String key, String description, Tx tx, Instant at) {
        return new PaymentRecord(key, description, State.SIGNED, Optional.of(tx), Optional.empty(), Optional.empty(), "", at);
    }

    /** The record of a payment found on chain in {@code txHash} without a record of its own. */
    public static PaymentRecord found(String key, String description, String txHash, long blockNumber, Instant at) {
        return new PaymentRecord(key, description, State.DONE, Optional.empty(), Optional.of(txHash),
                Optional.of(blockNumber), "found on chain", at);
    }

    /** The same record in another state. */
    public PaymentRecord with(State newState, Optional<Long> block, String newDetail, Instant at) {
        return new PaymentRecord(key, description, newState, tx, txHash, block, newDetail, at);
    }
}
