package dev.forage.tools.settle;

import static dev.forage.tools.settle.SettlementFixture.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Signer;
import dev.forage.identity.chain.TxRequest;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.keys.InMemorySigner;
import dev.forage.identity.testing.AnvilExtension;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.settle.spi.PaymentRecord;
import dev.forage.tools.settle.spi.PaymentRequest;
import dev.forage.tools.settle.spi.PaymentStore;
import dev.forage.tools.settle.spi.StepHook;
import dev.forage.tools.testing.CountingSigner;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's settlement client on Anvil: the guard is asked before every signature that can
 * move money (and a denial signs nothing), and every operation happens once per idempotency
 * key, across retries, a lost store and a transaction whose nonce was taken.
 */
@ExtendWith(AnvilExtension.class)
class SettlementClientIT {

    private static final Duration HOUR = Duration.ofHours(1);

    private record Setup(SettlementFixture f, CountingSigner agent, List<PaymentRequest> asked) {}

    private Setup setup(Anvil anvil) {
        SettlementFixture f = new SettlementFixture(anvil).fundAgent(1_000).openAccount(100, 1_000, HOUR);
        f.usdc.mint(f.deployer, f.provider.address(), usdc(1));
        return new Setup(f, new CountingSigner(f.agent), new ArrayList<>());
    }

    private SettlementClient client(Setup s, PaymentGuard guard, PaymentStore store) {
        PaymentGuard recording = request -> {
            s.asked().add(request);
            return guard.check(request);
        };
        return SettlementClient.create(SettlementClient.Config.of(s.f().anvil.chain(), s.agent(), s.f().usdc, Optional.of(s.f().escrow),
                recording, store).withClock(chainClock(s.f().anvil)));
    }

    @Test
    void aDenialSignsNothingForEveryKindOfPayment(Anvil anvil) {
        Setup s = setup(anvil);
        SettlementClient allowed = client(s, PaymentGuards.allowAll(), PaymentStores.inMemory());
        allowed.deposit("dep-0", usdc(100));
        Lease lease = allowed.lock("lock-0", s.f().provider.address(), usdc(10), s.f().inChainTime(HOUR));
        SettlementClient denied = client(s, PaymentGuards.denyAll("spending frozen by policy"), PaymentStores.inMemory());
        int signaturesBefore = s.agent().signatures();
        BigInteger nonceBefore = anvil.chain().transactionCount(s.agent().address(), true);

        List<Runnable> attempts = List.of(
                () -> denied.transfer("t", s.f().provider.address(), usdc(1), "job-1"),
                () -> denied.deposit("d", usdc(1)),
                () -> denied.lock("l", s.f().provider.address(), usdc(1), s.f().inChainTime(HOUR)),
                () -> denied.release("r", lease, usdc(1)),
                () -> denied.voucher("v", lease, usdc(1)));
        for (Runnable attempt : attempts) {
            assertThatThrownBy(attempt::run).isInstanceOfSatisfying(PaymentDeniedException.class,
                    e -> assertThat(e.reasons()).containsExactly("spending frozen by policy"));
        }

        assertThat(s.agent().signatures()).as("signatures after the denials").isEqualTo(signaturesBefore);
        assertThat(anvil.chain().transactionCount(s.agent().address(), true)).isEqualTo(nonceBefore);
        assertThat(s.asked()).extracting(PaymentRequest::action).containsSubsequence(PaymentRequest.TRANSFER, PaymentRequest.DEPOSIT,
                PaymentRequest.LOCK, PaymentRequest.RELEASE, PaymentRequest.VOUCHER);
    }

    @Test
    void eachOperationHappensOncePerKey(Anvil anvil) {
        Setup s = setup(anvil);
        SettlementClient client = client(s, PaymentGuards.allowAll(), PaymentStores.inMemory());
        BigInteger providerBefore = s.f().usdc.balanceOf(s.f().provider.address());

        Payment first = client.transfer("pay-1", s.f().provider.address(), usdc(3), "job-1");
        Payment again = client.transfer("pay-1", s.f().provider.address(), usdc(3), "job-1");
        client.deposit("dep-1", usdc(50));
        client.deposit("dep-1", usdc(50));
        Lease lease = client.lock("lock-1", s.f().provider.address(), usdc(20), s.f().inChainTime(HOUR));
        Lease sameLease = client.lock("lock-1", s.f().provider.address(), usdc(20), s.f().inChainTime(HOUR));
        Payment released = client.release("rel-1", lease, usdc(5));
        Payment releasedAgain = client.release("rel-1", lease, usdc(5));

        assertThat(again.resumed()).isTrue();
        assertThat(again.txHash()).isEqualTo(first.txHash());
        assertThat(sameLease).isEqualTo(lease);
        assertThat(releasedAgain.txHash()).isEqualTo(released.txHash());
        assertThat(s.f().usdc.balanceOf(s.f().provider.address())).isEqualTo(providerBefore.add(usdc(3 + 5)));
        assertThat(client.account().balance()).isEqualTo(usdc(50 - 20 + 15));
        assertThat(s.f().escrow.leaseCount(s.agent().address(), s.f().provider.address())).isEqualTo(1);
        assertThat(s.asked()).extracting(PaymentRequest::id).containsExactly("pay-1", "dep-1", "lock-1", "rel-1");
    }

    @Test
    void eightThreadsPayingUnderOneKeyPayOnce(Anvil anvil) throws Exception {
        Setup s = setup(anvil);
        SettlementClient client = client(s, PaymentGuards.allowAll(), PaymentStores.inMemory());
        Signer payee = InMemorySigner.generate();
        List<java.util.concurrent.Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> client.transfer("one-key", payee.address(), usdc(3), "").txHash());
        }

        List<String> hashes = new ArrayList<>();
        try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (java.util.concurrent.Future<String> f : pool.invokeAll(calls)) {
                hashes.add(f.get());
            }
        }

        assertThat(hashes).hasSize(8).containsOnly(hashes.get(0));
        assertThat(s.f().usdc.balanceOf(payee.address())).isEqualTo(usdc(3));
        assertThat(s.asked()).as("the guard is asked once").hasSize(1);
    }

    @Test
    void withTheStoreLostTheLockAndReleaseAreFoundOnChainByTheirKey(Anvil anvil) {
        Setup s = setup(anvil);
        SettlementClient first = client(s, PaymentGuards.allowAll(), PaymentStores.inMemory());
        first.deposit("dep-2", usdc(50));
        Lease lease = first.lock("lock-2", s.f().provider.address(), usdc(20), s.f().inChainTime(HOUR));
        Payment released = first.release("rel-2", lease, usdc(4));

        SettlementClient amnesiac = client(s, PaymentGuards.allowAll(), PaymentStores.inMemory());
        Lease found = amnesiac.lock("lock-2", s.f().provider.address(), usdc(20), s.f().inChainTime(HOUR));
        Payment foundRelease = amnesiac.release("rel-2", lease, usdc(4));

        assertThat(found).isEqualTo(lease);
        assertThat(foundRelease.txHash()).isEqualTo(released.txHash());
        assertThat(foundRelease.resumed()).isTrue();
        assertThat(s.f().escrow.leaseCount(s.agent().address(), s.f().provider.address())).isEqualTo(1);
    }

    @Test
    void aTransactionSignedButNeverSentIsBroadcastOnRetryNotSignedAgain(Anvil anvil) {
        Setup s = setup(anvil);
        PaymentStore store = PaymentStores.inMemory();
        PaymentExecutor crashing = new PaymentExecutor(anvil.chain(), s.agent(), store, failAt(StepHook.Step.SIGNED), Clock.systemUTC(),
                anvil.chain().receiptPolicy());
        Signer payee = InMemorySigner.generate();
        TxRequest transfer = s.f().usdc.transferRequest(payee.address(), usdc(2));

        assertThatThrownBy(() -> crashing.execute("once", "pay", () -> transfer, () -> {}, PaymentExecutor.OnChainLookup.none()))
                .hasMessageContaining("simulated crash");
        assertThat(store.find("once").orElseThrow().state()).isEqualTo(PaymentRecord.State.SIGNED);
        int signatures = s.agent().signatures();

        Payment paid = new PaymentExecutor(anvil.chain(), s.agent(), store).execute("once", "pay", () -> transfer, () -> {
            throw new AssertionError("the guard must not be asked again for a resumed payment");
        }, PaymentExecutor.OnChainLookup.none());

        assertThat(paid.resumed()).isTrue();
        assertThat(paid.txHash()).isEqualTo(store.find("once").orElseThrow().txHash().orElseThrow());
        assertThat(s.agent().signatures()).as("no new signature").isEqualTo(signatures);
        assertThat(s.f().usdc.balanceOf(payee.address())).isEqualTo(usdc(2));
        assertThat(store.find("once").orElseThrow().state()).isEqualTo(PaymentRecord.State.DONE);
    }

    @Test
    void aRecordWhoseNonceWentToAnotherTransactionIsSupersededAndPaidOnce(Anvil anvil) {
        Setup s = setup(anvil);
        PaymentStore store = PaymentStores.inMemory();
        Signer payee = InMemorySigner.generate();
        TxRequest transfer = s.f().usdc.transferRequest(payee.address(), usdc(2));
        PaymentExecutor crashing = new PaymentExecutor(anvil.chain(), s.agent(), store, failAt(StepHook.Step.SIGNED), Clock.systemUTC(),
                anvil.chain().receiptPolicy());
        assertThatThrownBy(() -> crashing.execute("taken", "pay", () -> transfer, () -> {}, PaymentExecutor.OnChainLookup.none()))
                .hasMessageContaining("simulated crash");
        long recordedNonce = store.find("taken").orElseThrow().tx().orElseThrow().nonce();
        // Another transaction takes the recorded one's nonce, so the recorded one can never be mined.
        anvil.chain().sender(s.agent()).sendAndWait(TxRequest.transfer(payee.address(), BigInteger.ONE));
        assertThat(anvil.chain().transactionCount(s.agent().address(), false).longValueExact()).isGreaterThan(recordedNonce);

        Payment paid = new PaymentExecutor(anvil.chain(), s.agent(), store).execute("taken", "pay", () -> transfer, () -> {},
                PaymentExecutor.OnChainLookup.none());

        assertThat(paid.resumed()).isFalse();
        assertThat(s.f().usdc.balanceOf(payee.address())).isEqualTo(usdc(2));
        assertThat(store.find("taken").orElseThrow().state()).isEqualTo(PaymentRecord.State.DONE);
    }

    @Test
    void aBroadcastWhoseAnswerWasLostIsResumedFromItsReceipt(Anvil anvil) {
        Setup s = setup(anvil);
        PaymentStore store = PaymentStores.inMemory();
        Signer payee = InMemorySigner.generate();
        SettlementClient crashing = SettlementClient.create(SettlementClient.Config.of(anvil.chain(), s.agent(), s.f().usdc,
                Optional.empty(), PaymentGuards.allowAll(), store).withHook(failAt(StepHook.Step.BROADCAST)));

        assertThatThrownBy(() -> crashing.transfer("lost-answer", payee.address(), usdc(4), "")).hasMessageContaining("simulated crash");
        SettlementClient restarted = SettlementClient.create(SettlementClient.Config.of(anvil.chain(), s.agent(), s.f().usdc,
                Optional.empty(), PaymentGuards.denyAll("must not be asked"), store));
        List<Payment> recovered = restarted.recover();

        assertThat(recovered).singleElement().satisfies(p -> assertThat(p.key()).isEqualTo("lost-answer"));
        assertThat(restarted.transfer("lost-answer", payee.address(), usdc(4), "").resumed()).isTrue();
        assertThat(s.f().usdc.balanceOf(payee.address())).isEqualTo(usdc(4));
    }

    @Test
    void vouchersAreCheckedAndGuardedBeforeTheyAreSigned(Anvil anvil) {
        Setup s = setup(anvil);
        PaymentGuard voucherCap = PaymentGuards.perPaymentCap(usdc(5));
        SettlementClient client = client(s, r -> r.action().equals(PaymentRequest.VOUCHER) ? voucherCap.check(r)
                : PaymentGuards.allowAll().check(r), PaymentStores.inMemory());
        client.deposit("dep-v", usdc(50));
        Lease lease = client.lock("lock-v", s.f().provider.address(), usdc(10), s.f().inChainTime(Duration.ofMinutes(30)));
        VoucherBook book = new VoucherBook(s.f().escrow, s.f().provider.address(), chainClock(anvil));

        SignedVoucher v1 = client.voucher("job-1", lease, usdc(4));
        SignedVoucher v2 = client.voucher("job-2", lease, usdc(9));
        assertThat(client.voucher("job-2", lease, usdc(9))).as("the same key, the same voucher").isEqualTo(v2);
        int signatures = s.agent().signatures();

        assertThatThrownBy(() -> client.voucher("job-3", lease, usdc(9))).isInstanceOfSatisfying(SettlementException.class,
                e -> assertThat(e.reason()).isEqualTo(SettlementException.Reason.VOUCHER_NOT_NEWER));
        assertThatThrownBy(() -> client.voucher("job-4", lease, usdc(11))).isInstanceOfSatisfying(SettlementException.class,
                e -> assertThat(e.reason()).isEqualTo(SettlementException.Reason.VOUCHER_ABOVE_LOCK));
        Lease other = client.lock("lock-w", s.f().provider.address(), usdc(10), s.f().inChainTime(Duration.ofMinutes(30)));
        signatures = s.agent().signatures();
        assertThatThrownBy(() -> client.voucher("job-5", other, usdc(6))).as("an increment above the guard's cap")
                .isInstanceOf(PaymentDeniedException.class);
        assertThat(s.agent().signatures()).isEqualTo(signatures);
        SettlementClient late = SettlementClient.create(SettlementClient.Config.of(anvil.chain(), s.agent(), s.f().usdc,
                Optional.of(s.f().escrow), PaymentGuards.allowAll(), PaymentStores.inMemory())
                .withClock(Clock.fixed(lease.expiry(), ZoneOffset.UTC)));
        assertThatThrownBy(() -> late.voucher("job-6", lease, usdc(10))).isInstanceOfSatisfying(SettlementException.class,
                e -> assertThat(e.reason()).isEqualTo(SettlementException.Reason.VOUCHER_EXPIRED));
        assertThat(s.agent().signatures()).isEqualTo(signatures);

        assertThat(book.accept(v1)).isEqualTo(usdc(4));
        assertThat(book.accept(v2)).isEqualTo(usdc(5));
        book.redeemAll("redeem-v", new PaymentExecutor(anvil.chain(), s.f().provider, PaymentStores.inMemory()));
        assertThat(client.account().balance()).isEqualTo(usdc(50 - 10 - 10 + 1));
        assertThat(s.asked()).filteredOn(r -> r.action().equals(PaymentRequest.VOUCHER)).extracting(PaymentRequest::amount)
                .as("the guard sees each voucher's increment").startsWith(usdc(4), usdc(5));
    }

    private static StepHook failAt(StepHook.Step at) {
        return (key, step) -> {
            if (step == at) {
                throw new IllegalStateException("simulated crash at " + step);
            }
        };
    }

    private static Clock chainClock(Anvil anvil) {
        Instant chainNow = anvil.chain().latestBlockTime();
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), chainNow)).withZone(ZoneOffset.UTC);
    }
}
