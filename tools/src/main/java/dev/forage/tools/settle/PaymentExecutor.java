package dev.forage.tools.settle;

import dev.forage.identity.Address;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.SignedTransaction;
import dev.forage.identity.chain.TransactionSender;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.chain.TxRequest;
import dev.forage.tools.internal.KeyedLocks;
import dev.forage.tools.settle.spi.PaymentRecord;
import dev.forage.tools.settle.spi.PaymentRecord.State;
import dev.forage.tools.settle.spi.PaymentStore;
import dev.forage.tools.settle.spi.StepHook;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends on-chain payments from one key exactly once per idempotency key.
 *
 * <p>The signed transaction is written to the {@link PaymentStore} before it is broadcast (a
 * write-ahead record). A later call with the same key, in this process or after a restart,
 * finds the record and, instead of signing again: returns the payment if it was mined; reads
 * the receipt if it was mined meanwhile; broadcasts the very same signed transaction again if
 * it may still be mined (same nonce, same hash: the chain executes it at most once); and signs
 * anew only when the recorded transaction can provably never be mined (its nonce went to
 * another transaction) and no earlier payment for the key is found on chain.
 *
 * <p>One process at a time pays from one key (nonces demand it anyway). Calls for the same key
 * are serialised; calls for different keys run concurrently.
 */
public final class PaymentExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentExecutor.class);

    /**
     * Finds, on chain, an earlier transaction that already made the payment for a key, for when
     * the store has no usable record (a superseded record, or a store lost with its disk).
     */
    @FunctionalInterface
    public interface OnChainLookup {
        /** The hash of a mined transaction that made payment {@code key}, if any. */
        Optional<String> find(String key);

        /** No lookup: the store is the only source of truth. */
        static OnChainLookup none() {
            return key -> Optional.empty();
        }
    }

    private final EvmChain chain;
    private final Signer signer;
    private final PaymentStore store;
    private final StepHook hook;
    private final Clock clock;
    private final EvmChain.ReceiptPolicy receiptPolicy;
    private final KeyedLocks locks = new KeyedLocks();

    /**
     * @param chain the chain to pay on
     * @param signer the paying key
     * @param store where write-ahead records are kept
     * @param hook observes each step (crash tests stop the process there)
     * @param clock stamps the records
     * @param receiptPolicy how long to wait for a receipt
     */
    public PaymentExecutor(EvmChain chain, Signer signer, PaymentStore store, StepHook hook, Clock clock,
            EvmChain.ReceiptPolicy receiptPolicy) {
        this.chain = chain;
        this.signer = signer;
        this.store = store;
        this.hook = hook;
        this.clock = clock;
        this.receiptPolicy = receiptPolicy;
    }

    /** An executor with the chain's receipt policy, the system clock and no hook. */
    public PaymentExecutor(EvmChain chain, Signer signer, PaymentStore store) {
        this(chain, signer, store, StepHook.none(), Clock.systemUTC(), chain.receiptPolicy());
    }

    /** The paying address. */
    public Address payer() {
        return signer.address();
    }

    /** The record of payment {@code key}, if any. */
    public Optional<PaymentRecord> record(String key) {
        return store.find(key);
    }

    /**
     * Makes payment {@code key} by sending {@code request}, exactly once.
     *
     * @param description what the payment is, for the record
     * @param request builds the transaction; called only when a new one is to be signed, after
     *     {@code beforeSigning} (it may sign other messages the transaction carries, such as a
     *     permit)
     * @param beforeSigning run only when a new transaction is about to be signed (the payment
     *     guard); it throws to stop the payment, and is not run when the payment is resumed
     * @param lookup finds an earlier payment for the key on chain
     * @return the payment; {@link Payment#resumed()} when no new transaction was signed
     * @throws SettlementException REVERTED if the transaction reverted (retrying the key signs
     *     a new one: a reverted transaction paid nothing), CHAIN_UNAVAILABLE (retriable) if the
     *     outcome is not known yet
     * @throws PaymentDeniedException if {@code beforeSigning} refused
     */
    public Payment execute(String key, String description, Supplier<TxRequest> request, Runnable beforeSigning,
            OnChainLookup lookup) {
        return locks.withLock(key, () -> executeLocked(key, description, request, beforeSigning, lookup));
    }

    private Payment executeLocked(String key, String description, Supplier<TxRequest> request, Runnable beforeSigning,
            OnChainLookup lookup) {
        try {
            Optional<PaymentRecord> existing = store.find(key);
            if (existing.isPresent()) {
                PaymentRecord record = existing.get();
                if (record.state() == State.DONE) {
                    return new Payment(key, receiptOf(record), true);
                }
                if (record.state().inFlight()) {
                    Optional<Payment> resumed = resume(record);
                    if (resumed.isPresent()) {
                        return resumed.get();
                    }
                }
            }
            Optional<String> earlier = lookup.find(key);
            if (earlier.isPresent()) {
                TxReceipt receipt = chain.receipt(earlier.get()).orElseThrow(() -> new SettlementException(
                        SettlementException.Reason.CHAIN_UNAVAILABLE, "the chain names " + earlier.get()
                        + " as payment " + key + " but has no receipt for it; retry", true));
                store.put(PaymentRecord.found(key, description, receipt.txHash(), receipt.blockNumber(), clock.instant()));
                return new Payment(key, receipt, true);
            }
            beforeSigning.run();
            return sendNew(key, description, request.get());
        } catch (ChainException e) {
            throw SettlementException.of("payment " + key + " (" + description + ")", e);
        }
    }

    /**
     * Settles every payment of this key left in flight (after a restart): each ends mined,
     * failed or superseded. Call it before paying anything new.
     *
     * @return the payments that were found made
     */
    public List<Payment> recover() {
        List<Payment> done = new ArrayList<>();
        for (PaymentRecord record : store.inFlight()) {
            if (record.tx().isEmpty() || !record.tx().get().from().equals(signer.address())) {
                continue;
            }
            locks.withLock(record.key(), () -> {
                try {
                    PaymentRecord current = store.find(record.key()).orElse(record);
                    if (current.state().inFlight()) {
                        resume(current).ifPresent(done::add);
                    }
                    return null;
                } catch (ChainException e) {
                    throw SettlementException.of("recovering payment " + record.key(), e);
                }
            });
        }
        return done;
    }

    private Payment sendNew(String key, String description, TxRequest request) {
        TransactionSender sender = chain.sender(signer);
        PaymentRecord[] signed = new PaymentRecord[1];
        SignedTransaction tx = sender.send(request, t -> {
            signed[0] = PaymentRecord.signed(key, description, PaymentRecord.Tx.of(t), clock.instant());
            store.put(signed[0]);
            hook.reached(key, StepHook.Step.SIGNED);
        });
        PaymentRecord broadcast = signed[0].with(State.BROADCAST, Optional.empty(), "", clock.instant());
        store.put(broadcast);
        hook.reached(key, StepHook.Step.BROADCAST);
        LOG.debug("payment {} broadcast in {}", key, tx.hash());
        return finish(broadcast, chain.awaitReceipt(tx.hash(), receiptPolicy), false);
    }

    /**
     * Settles an in-flight record without signing: empty only if its transaction can never be
     * mined, after marking it superseded.
     */
    private Optional<Payment> resume(PaymentRecord record) {
        PaymentRecord.Tx tx = record.tx().orElseThrow();
        // Count first, receipt second: if the nonce is used and our receipt is still absent,
        // another transaction took the nonce and ours can never be mined.
        long used = chain.transactionCount(tx.from(), false).longValueExact();
        Optional<TxReceipt> receipt = chain.receipt(tx.hash());
        if (receipt.isPresent()) {
            return Optional.of(finish(record, receipt.get(), true));
        }
        if (used > tx.nonce()) {
            LOG.info("payment {}: transaction {} can never be mined (nonce {} was used by another); signing anew",
                    record.key(), tx.hash(), tx.nonce());
            store.put(record.with(State.SUPERSEDED, Optional.empty(), "nonce " + tx.nonce()
                    + " was used by another transaction", clock.instant()));
            return Optional.empty();
        }
        chain.sender(signer).rebroadcast(tx.signedTransaction());
        PaymentRecord broadcast = record.with(State.BROADCAST, Optional.empty(), "", clock.instant());
        store.put(broadcast);
        hook.reached(record.key(), StepHook.Step.BROADCAST);
        return Optional.of(finish(broadcast, chain.awaitReceipt(tx.hash(), receiptPolicy), true));
    }

    private Payment finish(PaymentRecord record, TxReceipt receipt, boolean resumed) {
        hook.reached(record.key(), StepHook.Step.MINED);
        if (receipt.success()) {
            store.put(record.with(State.DONE, Optional.of(receipt.blockNumber()), "", clock.instant()));
            return new Payment(record.key(), receipt, resumed);
        }
        SettlementException failure;
        try {
            chain.sender(signer).requireSuccess(record.tx().orElseThrow().signedTransaction(), receipt);
            failure = new SettlementException(SettlementException.Reason.REVERTED, "payment " + record.key() + " reverted in "
                    + receipt.txHash(), false);
        } catch (ChainException e) {
            failure = SettlementException.of("payment " + record.key() + " (" + record.description() + ")", e);
        }
        store.put(record.with(State.FAILED, Optional.of(receipt.blockNumber()), failure.getMessage(), clock.instant()));
        throw failure;
    }

    private TxReceipt receiptOf(PaymentRecord record) {
        String hash = record.txHash().orElseThrow();
        return chain.receipt(hash).orElseThrow(() -> new SettlementException(SettlementException.Reason.CHAIN_UNAVAILABLE,
                "payment " + record.key() + " is recorded as made in " + hash + " but the chain has no receipt for it;"
                        + " is this the same chain? retry once it has synced", true));
    }

    @Override
    public String toString() {
        return "PaymentExecutor[" + signer.address() + " on " + chain.chainId() + "]";
    }
}
