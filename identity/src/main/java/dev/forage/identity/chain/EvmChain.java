package dev.forage.identity.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.identity.Signer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * One EVM chain reached over JSON-RPC: reads, receipts, and one {@link TransactionSender}
 * per key. Every failure is a typed {@link ChainException}.
 */
public final class EvmChain implements AutoCloseable {

    /** How long to wait for a receipt, and how many blocks deep it must be. */
    public record ReceiptPolicy(Duration timeout, int confirmations) {
        public ReceiptPolicy {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("receipt timeout must be positive, got " + timeout);
            }
            if (confirmations < 1) {
                throw new IllegalArgumentException("confirmations must be at least 1 (the block that mined it), got " + confirmations);
            }
        }
    }

    private final String rpcUrl;
    private final HttpService service;
    private final Web3j web3j;
    private final ChainId chainId;
    private final ReceiptPolicy receiptPolicy;
    private final AtomicReference<RevertDecoder> decoder = new AtomicReference<>(RevertDecoder.standard());
    private final Map<Address, TransactionSender> senders = new ConcurrentHashMap<>();

    private EvmChain(String rpcUrl, HttpService service, Web3j web3j, ChainId chainId, ReceiptPolicy receiptPolicy) {
        this.rpcUrl = rpcUrl;
        this.service = service;
        this.web3j = web3j;
        this.chainId = chainId;
        this.receiptPolicy = receiptPolicy;
    }

    /**
     * Connects to a JSON-RPC endpoint and reads its chain id.
     *
     * @param rpcUrl an {@code http(s)://} JSON-RPC URL
     * @param receiptPolicy the default wait for receipts
     * @throws ChainException CONNECTION_REFUSED or TIMEOUT if the endpoint does not answer
     */
    public static EvmChain connect(String rpcUrl, ReceiptPolicy receiptPolicy) {
        if (rpcUrl == null || !rpcUrl.matches("https?://.+")) {
            throw new IllegalArgumentException("RPC URL '" + rpcUrl + "' must start with http:// or https://");
        }
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(30))
                .writeTimeout(Duration.ofSeconds(30))
                .build();
        HttpService service = new HttpService(rpcUrl, http);
        Web3j web3j = Web3j.build(service);
        try {
            long id = rpc(web3j.ethChainId(), "eth_chainId", rpcUrl, RevertDecoder.standard()).getChainId().longValueExact();
            return new EvmChain(rpcUrl, service, web3j, ChainId.eip155(id), receiptPolicy);
        } catch (RuntimeException e) {
            web3j.shutdown();
            throw e;
        }
    }

    /** Connects with the default receipt policy: 60 seconds, 1 confirmation. */
    public static EvmChain connect(String rpcUrl) {
        return connect(rpcUrl, new ReceiptPolicy(Duration.ofSeconds(60), 1));
    }

    /** The chain's CAIP-2 id, as the node reported it. */
    public ChainId chainId() {
        return chainId;
    }

    /** The JSON-RPC URL. */
    public String rpcUrl() {
        return rpcUrl;
    }

    /** The underlying web3j client, for reads this class does not wrap. */
    public Web3j web3j() {
        return web3j;
    }

    /** The default receipt policy. */
    public ReceiptPolicy receiptPolicy() {
        return receiptPolicy;
    }

    /** Teaches the revert decoder the custom errors of a contract ABI (a JSON array). */
    public void learnErrors(JsonNode abi) {
        decoder.updateAndGet(d -> d.withAbi(abi));
    }

    /** The revert decoder, with every ABI learned so far. */
    public RevertDecoder revertDecoder() {
        return decoder.get();
    }

    /**
     * The transaction sender for {@code signer}'s key: one per address, so that all
     * transactions from a key share one nonce sequence.
     */
    public TransactionSender sender(Signer signer) {
        TransactionSender sender = senders.computeIfAbsent(signer.address(), a -> new TransactionSender(this, signer));
        return sender;
    }

    /**
     * Sends any JSON-RPC method (e.g. a node's own {@code anvil_*} methods) and returns its
     * result as untyped JSON: maps, lists, strings, numbers.
     *
     * @throws ChainException for transport failures and JSON-RPC errors
     */
    public Object request(String method, java.util.List<?> params) {
        return rpc(new Request<>(method, params, service, RawResponse.class), method).getResult();
    }

    /** A JSON-RPC response whose result is kept as untyped JSON. */
    public static final class RawResponse extends Response<Object> {}

    /** The latest block number. */
    public long blockNumber() {
        return rpc(web3j.ethBlockNumber(), "eth_blockNumber").getBlockNumber().longValueExact();
    }

    /** The balance of {@code address} in wei. */
    public BigInteger balance(Address address) {
        return rpc(web3j.ethGetBalance(address.value(), DefaultBlockParameterName.LATEST), "eth_getBalance")
                .getBalance();
    }

    /** The number of transactions sent from {@code address}, counting pending ones if asked. */
    public BigInteger transactionCount(Address address, boolean pending) {
        return rpc(web3j.ethGetTransactionCount(address.value(),
                        pending ? DefaultBlockParameterName.PENDING : DefaultBlockParameterName.LATEST),
                "eth_getTransactionCount").getTransactionCount();
    }

    /**
     * Executes a read-only call against the latest block.
     *
     * @return the return data, {@code 0x}-prefixed hex
     * @throws ChainException REVERTED with the decoded reason if the call reverts
     */
    public String call(Address to, String data) {
        return call(Optional.empty(), to, data, DefaultBlockParameterName.LATEST);
    }

    /** Executes a read-only call from {@code from}. */
    public String call(Address from, Address to, String data) {
        return call(Optional.of(from), to, data, DefaultBlockParameterName.LATEST);
    }

    String call(Optional<Address> from, Address to, String data, DefaultBlockParameter block) {
        Transaction tx = Transaction.createEthCallTransaction(from.map(Address::value).orElse(null), to.value(), data);
        EthCall result = rpc(web3j.ethCall(tx, block), "eth_call to " + to);
        return result.getValue();
    }

    /** The receipt of {@code txHash} if it has been mined. */
    public Optional<TxReceipt> receipt(String txHash) {
        EthGetTransactionReceipt r = rpc(web3j.ethGetTransactionReceipt(txHash), "eth_getTransactionReceipt");
        return r.getTransactionReceipt().map(EvmChain::toReceipt);
    }

    /**
     * Waits until {@code txHash} is mined and {@code policy.confirmations()} blocks deep.
     *
     * @return the receipt; a reverted transaction is returned with {@code success == false}
     * @throws ChainException TIMEOUT (retriable; the transaction may still be mined) if the
     *     policy's timeout passes first
     */
    public TxReceipt awaitReceipt(String txHash, ReceiptPolicy policy) {
        long deadline = System.nanoTime() + policy.timeout().toNanos();
        long sleepMs = 20;
        while (true) {
            Optional<TxReceipt> receipt = receipt(txHash);
            if (receipt.isPresent()) {
                long depth = blockNumber() - receipt.get().blockNumber() + 1;
                if (depth >= policy.confirmations()) {
                    // Re-read: a reorg may have moved the transaction while we waited.
                    Optional<TxReceipt> again = receipt(txHash);
                    if (again.isPresent() && again.get().blockNumber() == receipt.get().blockNumber()) {
                        return again.get();
                    }
                    continue;
                }
            }
            if (System.nanoTime() > deadline) {
                String state = receipt.isPresent()
                        ? "mined in block " + receipt.get().blockNumber() + " but not yet " + policy.confirmations() + " blocks deep"
                        : "not mined";
                throw new ChainException(ChainException.Kind.TIMEOUT, "transaction " + txHash + " was " + state
                        + " after " + policy.timeout().toMillis() + " ms; wait again with awaitReceipt (it may still be mined)",
                        txHash, null, null);
            }
            sleep(sleepMs);
            sleepMs = Math.min(sleepMs * 2, 500);
        }
    }

    /** The timestamp of the latest block, the time contracts see. */
    public java.time.Instant latestBlockTime() {
        EthBlock.Block block = rpc(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false),
                "eth_getBlockByNumber").getBlock();
        return java.time.Instant.ofEpochSecond(block.getTimestamp().longValueExact());
    }

    /** The base fee of the latest block, if the chain has EIP-1559 fees. */
    Optional<BigInteger> baseFee() {
        EthBlock.Block block = rpc(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false),
                "eth_getBlockByNumber").getBlock();
        return block == null || block.getBaseFeePerGasRaw() == null
                ? Optional.empty() : Optional.of(block.getBaseFeePerGas());
    }

    @Override
    public void close() {
        web3j.shutdown();
    }

    @Override
    public String toString() {
        return "EvmChain[" + chainId + " at " + rpcUrl + "]";
    }

    static TxReceipt toReceipt(TransactionReceipt r) {
        return new TxReceipt(
                r.getTransactionHash(),
                r.getBlockNumber().longValueExact(),
                Address.parse(r.getFrom()),
                r.isStatusOK(),
                r.getGasUsed(),
                r.getEffectiveGasPrice() == null ? BigInteger.ZERO : org.web3j.utils.Numeric.decodeQuantity(r.getEffectiveGasPrice()),
                Optional.ofNullable(r.getContractAddress()).map(Address::parse),
                r.getLogs().stream()
                        .map(l -> new TxReceipt.Log(Address.parse(l.getAddress()), l.getTopics(), l.getData(),
                                l.getLogIndex() == null ? -1 : l.getLogIndex().longValueExact()))
                        .toList());
    }

    /**
     * Sends a request and turns transport failures and JSON-RPC errors into typed failures,
     * decoding reverts with every ABI learned so far.
     */
    <T extends Response<?>> T rpc(Request<?, T> request, String what) {
        return rpc(request, what, rpcUrl, decoder.get());
    }

    private static <T extends Response<?>> T rpc(Request<?, T> request, String what, String rpcUrl, RevertDecoder decoder) {
        T response;
        try {
            response = request.send();
        } catch (IOException e) {
            throw transportFailure(e, what, rpcUrl);
        }
        if (response.hasError()) {
            throw classify(response.getError(), what, decoder, null);
        }
        return response;
    }

    static ChainException transportFailure(IOException e, String what, String rpcUrl) {
        boolean timeout = e instanceof InterruptedIOException;
        boolean refused = e instanceof ConnectException || e instanceof NoRouteToHostException
                || e instanceof UnknownHostException;
        ChainException.Kind kind = timeout ? ChainException.Kind.TIMEOUT : ChainException.Kind.CONNECTION_REFUSED;
        String how = timeout ? "did not answer in time" : refused ? "refused the connection" : "failed: " + e.getMessage();
        return new ChainException(kind, what + ": the JSON-RPC endpoint " + rpcUrl + " " + how
                + "; check the node is running and the URL is right", null, null, e);
    }

    static ChainException classify(Response.Error error, String what, RevertDecoder decoder, String txHash) {
        String message = String.valueOf(error.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        ChainException.Kind kind;
        RevertReason revert = null;
        if (lower.contains("nonce too low") || lower.contains("nonce has already been used")) {
            kind = ChainException.Kind.NONCE_TOO_LOW;
        } else if (lower.contains("underpriced") || lower.contains("fee cap less than block base fee")
                || lower.contains("max fee per gas less than block base fee") || lower.contains("fee too low")) {
            kind = ChainException.Kind.UNDERPRICED;
        } else if (lower.contains("insufficient funds") || lower.contains("insufficient balance")) {
            kind = ChainException.Kind.INSUFFICIENT_FUNDS;
        } else if (lower.contains("revert")) {
            kind = ChainException.Kind.REVERTED;
            revert = decoder.decode(revertData(error.getData()));
        } else if (lower.contains("invalid signature") || lower.contains("invalid sender")
                || lower.contains("invalid chain id") || lower.contains("signature")) {
            kind = ChainException.Kind.INVALID_SIGNATURE;
        } else {
            kind = ChainException.Kind.REJECTED;
        }
        String detail = revert == null ? message : "reverted: " + revert.describe();
        return new ChainException(kind, what + " failed: " + detail + hint(kind), txHash, revert, null);
    }

    private static String hint(ChainException.Kind kind) {
        return switch (kind) {
            case NONCE_TOO_LOW -> "; the nonce was already used, retry to take a fresh one";
            case UNDERPRICED -> "; retry with a higher fee";
            case INSUFFICIENT_FUNDS -> "; fund the sender with native currency for value plus gas";
            case REVERTED -> "";
            case INVALID_SIGNATURE -> "; check the signer and the chain id";
            default -> "";
        };
    }

    /** JSON-RPC error data is a hex string, sometimes JSON-quoted or nested in an object. */
    static String revertData(String data) {
        if (data == null) {
            return "0x";
        }
        String d = data.trim();
        if (d.startsWith("\"") && d.endsWith("\"")) {
            d = d.substring(1, d.length() - 1);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("0x[0-9a-fA-F]*").matcher(d);
        return m.find() ? m.group() : "0x";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException(ChainException.Kind.TIMEOUT, "interrupted while waiting for a receipt", null, null, e);
        }
    }
}
