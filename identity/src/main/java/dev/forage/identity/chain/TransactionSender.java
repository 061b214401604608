package dev.forage.identity.chain;

import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.utils.Numeric;

/**
 * Sends transactions from one key. All transactions of a key go through one sender (see
 * {@link EvmChain#sender(Signer)}), which hands out nonces in order under a lock held from
 * nonce choice to broadcast, so concurrent callers never leave a gap or reuse a nonce.
 *
 * <p>When a broadcast's outcome is unknown (timeout, dropped connection) the sender forgets
 * its nonce and reads the pending count from the node before the next transaction; when the
 * node says the nonce is too low, it resynchronises and signs again with a fresh one.
 */
public final class TransactionSender {

    private static final int NONCE_RETRIES = 3;
    private static final long FEE_CACHE_NANOS = 1_000_000_000L;

    private final EvmChain chain;
    private final Signer signer;
    private final ReentrantLock lock = new ReentrantLock();
    private long nextNonce = -1;

    private volatile Fees cachedFees;

    private record Fees(Optional<BigInteger> maxFee, BigInteger priorityOrGasPrice, long at) {}

    TransactionSender(EvmChain chain, Signer signer) {
        this.chain = chain;
        this.signer = signer;
    }

    /** The sending address. */
    public Address address() {
        return signer.address();
    }

    /**
     * Estimates gas, signs and broadcasts {@code request}; does not wait for it to be mined.
     *
     * @throws ChainException REVERTED if the estimate shows the call would revert (nothing is
     *     signed then), or the broadcast's typed failure
     */
    public SignedTransaction send(TxRequest request) {
        return send(request, tx -> {});
    }

    /**
     * As {@link #send(TxRequest)}, calling {@code beforeBroadcast} with each signed transaction
     * just before it is broadcast, so the caller can record it first (a write-ahead record).
     * If the node rejects the nonce as used, the transaction is signed again with a fresh nonce
     * and {@code beforeBroadcast} sees the new one too; the earlier one can never be mined.
     */
    public SignedTransaction send(TxRequest request, Consumer<SignedTransaction> beforeBroadcast) {
        long gasLimit = request.gasLimit() > 0 ? request.gasLimit() : estimateGas(request);
        Fees fees = fees();
        lock.lock();
        try {
            for (int attempt = 0; ; attempt++) {
                if (nextNonce < 0) {
                    nextNonce = chain.transactionCount(address(), true).longValueExact();
                }
                SignedTransaction tx = sign(request, nextNonce, gasLimit, fees);
                beforeBroadcast.accept(tx);
                try {
                    broadcast(tx);
                    nextNonce = tx.nonce() + 1;
                    return tx;
                } catch (ChainException e) {
                    nextNonce = -1;
                    if (e.kind() == ChainException.Kind.NONCE_TOO_LOW && attempt < NONCE_RETRIES) {
                        continue;
                    }
                    throw e;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code request} and waits for it under the chain's default receipt policy.
     *
     * @throws ChainException REVERTED (with the decoded reason) if it was mined but reverted
     */
    public TxReceipt sendAndWait(TxRequest request) {
        return sendAndWait(request, chain.receiptPolicy());
    }

    /** As {@link #sendAndWait(TxRequest)} with an explicit receipt policy. */
    public TxReceipt sendAndWait(TxRequest request, EvmChain.ReceiptPolicy policy) {
        SignedTransaction tx = send(request);
        return requireSuccess(tx, chain.awaitReceipt(tx.hash(), policy));
    }

    /**
     * Broadcasts an already signed transaction again, after a crash or a lost answer. A node
     * that already has it, or has already mined it, is not an error: the caller checks the
     * receipt by hash.
     *
     * @throws ChainException for transport failures and other rejections
     */
    public void rebroadcast(SignedTransaction tx) {
        try {
            broadcast(tx);
        } catch (ChainException e) {
            String msg = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (e.kind() == ChainException.Kind.NONCE_TOO_LOW || msg.contains("already known")
                    || msg.contains("already imported") || msg.contains("already exists")) {
                return;
            }
            throw e;
        }
    }

    /**
     * Returns {@code receipt} if the transaction succeeded; otherwise replays it at its block
     * to read the revert reason and throws.
     */
    public TxReceipt requireSuccess(SignedTransaction tx, TxReceipt receipt) {
        if (receipt.success()) {
            return receipt;
        }
        RevertReason reason = replayRevert(tx.request(), receipt.blockNumber());
        throw new ChainException(ChainException.Kind.REVERTED, "transaction " + tx.hash() + " from " + address()
                + " reverted in block " + receipt.blockNumber() + ": " + reason.describe(), tx.hash(), reason, null);
    }

    private RevertReason replayRevert(TxRequest request, long blockNumber) {
        try {
            Transaction call = new Transaction(address().value(), null, null, null,
                    request.to().map(Address::value).orElse(null), request.value(), request.data());
            org.web3j.protocol.core.methods.response.EthCall result = chain.rpc(
                    chain.web3j().ethCall(call, DefaultBlockParameter.valueOf(BigInteger.valueOf(blockNumber - 1))),
                    "replay");
            return result.isReverted() ? chain.revertDecoder().decode(result.getRevertReason())
                    : new RevertReason("unknown", java.util.List.of(), "0x");
        } catch (ChainException e) {
            return e.revert().orElse(new RevertReason("unknown", java.util.List.of(), "0x"));
        }
    }

    private long estimateGas(TxRequest request) {
        Transaction tx = new Transaction(address().value(), null, null, null,
                request.to().map(Address::value).orElse(null), request.value(), request.data());
        BigInteger estimate = chain.rpc(chain.web3j().ethEstimateGas(tx),
                "estimating gas for a transaction from " + address() + request.to().map(t -> " to " + t).orElse(" (contract creation)"))
                .getAmountUsed();
        return estimate.longValueExact() * 12 / 10 + 1_000;
    }

    private Fees fees() {
        Fees f = cachedFees;
        long now = System.nanoTime();
        if (f != null && now - f.at() < FEE_CACHE_NANOS) {
            return f;
        }
        Optional<BigInteger> baseFee = chain.baseFee();
        if (baseFee.isPresent()) {
            BigInteger priority = chain.rpc(chain.web3j().ethMaxPriorityFeePerGas(), "eth_maxPriorityFeePerGas")
                    .getMaxPriorityFeePerGas();
            f = new Fees(Optional.of(baseFee.get().shiftLeft(1).add(priority)), priority, now);
        } else {
            BigInteger gasPrice = chain.rpc(chain.web3j().ethGasPrice(), "eth_gasPrice").getGasPrice();
            f = new Fees(Optional.empty(), gasPrice, now);
        }
        cachedFees = f;
        return f;
    }

    private SignedTransaction sign(TxRequest request, long nonce, long gasLimit, Fees fees) {
        long chainId = chain.chainId().evmChainId();
        String to = request.to().map(Address::value).orElse("");
        RawTransaction raw = fees.maxFee().isPresent()
                ? RawTransaction.createTransaction(chainId, BigInteger.valueOf(nonce), BigInteger.valueOf(gasLimit),
                        to, request.value(), request.data(), fees.priorityOrGasPrice(), fees.maxFee().get())
                : RawTransaction.createTransaction(BigInteger.valueOf(nonce), fees.priorityOrGasPrice(),
                        BigInteger.valueOf(gasLimit), to, request.value(), request.data());
        byte[] signed;
        if (fees.maxFee().isPresent()) {
            Signature sig = signer.sign(Hash.sha3(TransactionEncoder.encode(raw)));
            signed = TransactionEncoder.encode(raw, signatureData(sig));
        } else {
            Signature sig = signer.sign(Hash.sha3(TransactionEncoder.encode(raw, chainId)));
            signed = TransactionEncoder.encode(raw,
                    TransactionEncoder.createEip155SignatureData(signatureData(sig), chainId));
        }
        return new SignedTransaction(Numeric.toHexString(Hash.sha3(signed)), address(), nonce,
                Numeric.toHexString(signed), request);
    }

    private static Sign.SignatureData signatureData(Signature sig) {
        return new Sign.SignatureData((byte) sig.v(), Numeric.toBytesPadded(sig.r(), 32), Numeric.toBytesPadded(sig.s(), 32));
    }

    private void broadcast(SignedTransaction tx) {
        EthSendTransaction response;
        try {
            response = chain.web3j().ethSendRawTransaction(tx.raw()).send();
        } catch (java.io.IOException e) {
            ChainException failure = EvmChain.transportFailure(e, "broadcasting " + tx.hash(), chain.rpcUrl());
            throw new ChainException(failure.kind(), failure.getMessage()
                    + " (the transaction may have reached the node: check its receipt before sending again)",
                    tx.hash(), null, e);
        }
        if (response.hasError()) {
            throw EvmChain.classify(response.getError(), "broadcasting " + tx.hash() + " (nonce " + tx.nonce() + ")",
                    chain.revertDecoder(), tx.hash());
        }
    }

    @Override
    public String toString() {
        return "TransactionSender[" + address() + " on " + chain.chainId() + "]";
    }
}
