package dev.forage.identity.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Address;
import dev.forage.identity.Signer;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.keys.InMemorySigner;
import dev.forage.identity.testing.AnvilExtension;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.utils.Numeric;

@ExtendWith(AnvilExtension.class)
class TransactionSenderIT {

    /** Creation code that reverts with Error("nope"): CODECOPY the payload, then REVERT it. */
    private static final String REVERTING_INIT = "0x6064600c6000396064" + "6000fd"
            + "08c379a0"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000004"
            + "6e6f706500000000000000000000000000000000000000000000000000000000";

    @Test
    void twoHundredTransactionsFromEightThreadsUseEveryNonceExactlyOnce(Anvil anvil) throws Exception {
        Signer signer = anvil.fundedAccount(100);
        TransactionSender sender = anvil.chain().sender(signer);
        assertThat(anvil.chain().sender(signer)).as("one sender per key").isSameAs(sender);
        int threads = 8;
        int perThread = 25;
        List<String> hashes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        long began;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Address to = InMemorySigner.generate().address();
                        hashes.add(sender.send(TxRequest.transfer(to, BigInteger.ONE)).hash());
                    }
                    return null;
                }));
            }
            began = System.nanoTime();
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        double sendSeconds = (System.nanoTime() - began) / 1e9;
        List<Long> nonces = new ArrayList<>();
        for (String hash : hashes) {
            TxReceipt receipt = anvil.chain().awaitReceipt(hash, anvil.chain().receiptPolicy());
            assertThat(receipt.success()).isTrue();
            nonces.add(anvil.chain().web3j().ethGetTransactionByHash(hash).send().getTransaction().orElseThrow()
                    .getNonce().longValueExact());
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        Collections.sort(nonces);
        assertThat(hashes).hasSize(200).doesNotHaveDuplicates();
        assertThat(nonces).containsExactlyElementsOf(LongStream.range(0, 200).boxed().toList());
        assertThat(anvil.chain().transactionCount(signer.address(), false)).isEqualTo(BigInteger.valueOf(200));
        String report = String.format(
                "nonce manager: 200 transactions from 8 threads broadcast in %.2f s (%.0f tx/s); all mined and checked in %.2f s (%.0f tx/s)%n",
                sendSeconds, 200 / sendSeconds, seconds, 200 / seconds);
        System.out.print(report);
        Path out = Path.of("target", "nonce-manager-throughput.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    @Test
    void aRevertFoundByTheEstimateIsTypedAndDecodedAndNothingIsSent(Anvil anvil) {
        Signer signer = anvil.fundedAccount(1);
        TransactionSender sender = anvil.chain().sender(signer);

        assertThatThrownBy(() -> sender.send(TxRequest.deploy(REVERTING_INIT)))
                .isInstanceOfSatisfying(ChainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ChainException.Kind.REVERTED);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.revert()).hasValueSatisfying(r -> {
                        assertThat(r.name()).isEqualTo("Error");
                        assertThat(r.arguments()).containsExactly("nope");
                    });
                })
                .hasMessageContaining("nope");
        assertThat(anvil.chain().transactionCount(signer.address(), true)).isZero();
    }

    @Test
    void aTransactionMinedAsRevertedIsReportedWithItsReason(Anvil anvil) {
        Signer signer = anvil.fundedAccount(1);
        TransactionSender sender = anvil.chain().sender(signer);

        assertThatThrownBy(() -> sender.sendAndWait(TxRequest.deploy(REVERTING_INIT).withGasLimit(200_000)))
                .isInstanceOfSatisfying(ChainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ChainException.Kind.REVERTED);
                    assertThat(e.txHash()).isPresent();
                    assertThat(e.revert().orElseThrow().describe()).isEqualTo("nope");
                });
        assertThat(anvil.chain().transactionCount(signer.address(), false)).isOne();
    }

    @Test
    void insufficientFundsIsNotRetriable(Anvil anvil) {
        Signer broke = InMemorySigner.generate();
        assertThatThrownBy(() -> anvil.chain().sender(broke).send(TxRequest.transfer(broke.address(), BigInteger.TEN)))
                .isInstanceOfSatisfying(ChainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ChainException.Kind.INSUFFICIENT_FUNDS);
                    assertThat(e.retriable()).isFalse();
                });
    }

    @Test
    void aSenderThatFallsBehindResynchronisesOnNonceTooLow(Anvil anvil) {
        Signer signer = anvil.fundedAccount(1);
        TransactionSender first = anvil.chain().sender(signer);
        // A second sender for the same key, as a second process would have.
        TransactionSender second = new TransactionSender(anvil.chain(), signer);
        Address to = InMemorySigner.generate().address();

        first.sendAndWait(TxRequest.transfer(to, BigInteger.ONE));
        second.sendAndWait(TxRequest.transfer(to, BigInteger.ONE)); // reads nonce 1 from the node
        first.sendAndWait(TxRequest.transfer(to, BigInteger.ONE)); // takes 1 locally: too low, resyncs to 2

        assertThat(anvil.chain().transactionCount(signer.address(), false)).isEqualTo(BigInteger.valueOf(3));
        assertThat(anvil.chain().balance(to)).isEqualTo(BigInteger.valueOf(3));
    }

    @Test
    void rebroadcastingAMinedTransactionIsHarmless(Anvil anvil) {
        Signer signer = anvil.fundedAccount(1);
        TransactionSender sender = anvil.chain().sender(signer);
        Address to = InMemorySigner.generate().address();
        List<SignedTransaction> recorded = new ArrayList<>();

        SignedTransaction tx = sender.send(TxRequest.transfer(to, BigInteger.TWO), recorded::add);
        anvil.chain().awaitReceipt(tx.hash(), anvil.chain().receiptPolicy());
        sender.rebroadcast(recorded.get(0));

        assertThat(recorded).containsExactly(tx);
        assertThat(anvil.chain().balance(to)).isEqualTo(BigInteger.TWO);
    }

    @Test
    void waitsForTheRequestedConfirmationDepth(Anvil anvil) throws Exception {
        Signer signer = anvil.fundedAccount(1);
        SignedTransaction tx = anvil.chain().sender(signer).send(TxRequest.transfer(signer.address(), BigInteger.ONE));
        Thread miner = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            anvil.mine(2);
        });
        TxReceipt receipt = anvil.chain().awaitReceipt(tx.hash(), new EvmChain.ReceiptPolicy(Duration.ofSeconds(20), 3));
        miner.join();
        assertThat(anvil.chain().blockNumber()).isGreaterThanOrEqualTo(receipt.blockNumber() + 2);
    }

    @Test
    void aMissingReceiptTimesOutRetriablyNamingTheHash(Anvil anvil) {
        String unknown = "0x" + "ab".repeat(32);
        assertThatThrownBy(() -> anvil.chain().awaitReceipt(unknown, new EvmChain.ReceiptPolicy(Duration.ofMillis(300), 1)))
                .isInstanceOfSatisfying(ChainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ChainException.Kind.TIMEOUT);
                    assertThat(e.retriable()).isTrue();
                })
                .hasMessageContaining(unknown);
    }

    @Test
    void anUnreachableRpcIsARetriableConnectionFailure() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        assertThatThrownBy(() -> EvmChain.connect(url))
                .isInstanceOfSatisfying(ChainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ChainException.Kind.CONNECTION_REFUSED);
                    assertThat(e.retriable()).isTrue();
                })
                .hasMessageContaining(url);
    }

    @Test
    void theNodesOwnRejectionsAreClassified(Anvil anvil) throws Exception {
        ECKeyPair key = Keys.createEcKeyPair();
        Credentials credentials = Credentials.create(key);
        Address from = Address.parse(credentials.getAddress());
        anvil.setBalance(from, BigInteger.TEN.pow(18));
        long chainId = anvil.chainId();
        BigInteger fee = BigInteger.valueOf(10_000_000_000L);

        // Nonce 0 used, then another transaction with nonce 0.
        assertThat(broadcast(anvil, credentials, chainId, 0, fee, BigInteger.ONE).hasError()).isFalse();
        assertThat(kindOf(broadcast(anvil, credentials, chainId, 0, fee, BigInteger.TWO)))
                .isEqualTo(ChainException.Kind.NONCE_TOO_LOW);
        // Signed for another chain.
        assertThat(kindOf(broadcast(anvil, credentials, chainId + 1, 1, fee, BigInteger.ONE)))
                .isEqualTo(ChainException.Kind.INVALID_SIGNATURE);
        // A fee cap under the base fee.
        assertThat(kindOf(broadcast(anvil, credentials, chainId, 1, BigInteger.ONE, BigInteger.ONE)))
                .isEqualTo(ChainException.Kind.UNDERPRICED);
        // More value than the balance.
        assertThat(kindOf(broadcast(anvil, credentials, chainId, 1, fee, BigInteger.TEN.pow(20))))
                .isEqualTo(ChainException.Kind.INSUFFICIENT_FUNDS);
    }

    private static EthSendTransaction broadcast(Anvil anvil, Credentials credentials, long chainId, long nonce,
            BigInteger maxFee, BigInteger value) throws Exception {
        RawTransaction raw = RawTransaction.createEtherTransaction(chainId, BigInteger.valueOf(nonce),
                BigInteger.valueOf(21_000), credentials.getAddress(), value, BigInteger.ONE, maxFee);
        return anvil.chain().web3j().ethSendRawTransaction(Numeric.toHexString(TransactionEncoder.signMessage(raw, credentials))).send();
    }

    private static ChainException.Kind kindOf(EthSendTransaction response) {
        assertThat(response.hasError()).as("the node rejected the transaction").isTrue();
        ChainException e = EvmChain.classify(response.getError(), "test", RevertDecoder.standard(), null);
        System.out.println("node said: " + response.getError().getMessage() + " -> " + e.kind());
        return e.kind();
    }
}
