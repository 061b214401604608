package dev.forage.tools.settle;

import static dev.forage.tools.settle.SettlementFixture.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.chain.TxRequest;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.eip712.Eip712;
import dev.forage.identity.erc8004.Erc8004Registries;
import dev.forage.identity.erc8004.IdentityRegistry;
import dev.forage.identity.testing.AnvilExtension;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ComputeEscrow on Anvil: owner-set caps the agent key cannot change (operator-owned and
 * ERC-8004-bound accounts), deposits, leases, refunds, and cumulative vouchers redeemed in
 * batches, with every replay and forgery refused by the contract and by the provider's book.
 * Each test deploys its own contracts; the class shares one Anvil.
 */
@ExtendWith(AnvilExtension.class)
class ComputeEscrowIT {

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void onlyTheOperatorSetsCapsNeverTheAgentKey(Anvil anvil) {
        SettlementFixture f = new SettlementFixture(anvil);
        TxReceipt opened = f.escrow.openAccount(f.agent, f.operator.address());
        Signer stranger = anvil.fundedAccount(1);

        assertThat(opened.logs(f.escrow.address(), Abi.topic("AccountOpened(address,address,bool,uint256)"))).hasSize(1);
        assertThat(f.revertOf(f.agent, capsCall(f, f.agent.address(), 1, 10))).isEqualTo("AgentCannotManageAccount");
        assertThat(f.revertOf(stranger, capsCall(f, f.agent.address(), 1, 10))).isEqualTo("NotAccountOwner");
        TxReceipt set = f.escrow.setCaps(f.operator, f.agent.address(), new EscrowCaps(usdc(5), usdc(50), HOUR));
        assertThat(set.logs(f.escrow.address(), Abi.topic("CapsSet(address,address,uint256,uint256,uint256)"))).hasSize(1);
        EscrowAccount account = f.escrow.account(f.agent.address());
        assertThat(account.owner()).isEqualTo(f.operator.address());
        assertThat(account.caps()).isEqualTo(new EscrowCaps(usdc(5), usdc(50), HOUR));
        assertThat(f.revertOf(f.agent, f.escrow.openAccountRequest(stranger.address()))).isEqualTo("AccountExists");
        assertThat(f.revertOf(stranger, f.escrow.openAccountRequest(stranger.address()))).isEqualTo("InvalidOperator");
        // The operator hands the account over; the old operator loses the right.
        f.escrow.setOperator(f.operator, f.agent.address(), stranger.address());
        assertThat(f.revertOf(f.operator, capsCall(f, f.agent.address(), 1, 10))).isEqualTo("NotAccountOwner");
        f.escrow.setCaps(stranger, f.agent.address(), EscrowCaps.frozen());
        assertThat(f.escrow.account(f.agent.address()).caps().maxPerLease()).isZero();
    }

    @Test
    void anIdentityBoundAccountFollowsTheErc8004OwnerAndItsOperators(Anvil anvil) {
        Signer owner = anvil.fundedAccount(10);
        Signer agent = anvil.fundedAccount(10);
        Signer operator = anvil.fundedAccount(10);
        Signer buyer = anvil.fundedAccount(10);
        Signer deployer = anvil.fundedAccount(10);
        Erc8004Registries registries = Erc8004Registries.deploy(anvil.chain(), deployer);
        IdentityRegistry identity = registries.identityRegistry(anvil.chain());
        BigInteger agentId = identity.register(owner, "https://example.org/agent.json").id().agentId();
        TestUsdc usdc = TestUsdc.deploy(anvil.chain(), deployer);
        ComputeEscrow escrow = ComputeEscrow.deploy(anvil.chain(), deployer, usdc.address(), Optional.of(registries.identity()));
        SettlementFixture probe = new SettlementFixture(anvil);

        // The agent key is not the agent wallet yet (the owner is), so it cannot open the account.
        assertThat(probe.revertOf(agent, escrow.openAccountWithIdentityRequest(agentId))).isEqualTo("NotAgentWallet");
        assertThat(probe.revertOf(owner, escrow.openAccountWithIdentityRequest(agentId))).isEqualTo("OwnerIsAgent");
        identity.setAgentWallet(owner, agentId, agent, Duration.ofMinutes(4));
        escrow.openAccountWithIdentity(agent, agentId);

        EscrowCaps caps = new EscrowCaps(usdc(1), usdc(3), HOUR);
        assertThat(probe.revertOf(agent, escrowCaps(escrow, agent.address(), caps))).isEqualTo("AgentCannotManageAccount");
        assertThat(probe.revertOf(operator, escrowCaps(escrow, agent.address(), caps))).isEqualTo("NotAccountOwner");
        escrow.setCaps(owner, agent.address(), caps);
        identity.setOperator(owner, operator.address(), true);
        escrow.setCaps(operator, agent.address(), new EscrowCaps(usdc(2), usdc(4), HOUR));
        assertThat(escrow.account(agent.address()).identityBound()).isTrue();
        assertThat(escrow.account(agent.address()).owner()).isEqualTo(owner.address());

        identity.transfer(owner, buyer.address(), agentId);
        assertThat(escrow.account(agent.address()).owner()).isEqualTo(buyer.address());
        assertThat(probe.revertOf(owner, escrowCaps(escrow, agent.address(), caps))).isEqualTo("NotAccountOwner");
        assertThat(probe.revertOf(operator, escrowCaps(escrow, agent.address(), caps))).isEqualTo("NotAccountOwner");
        escrow.setCaps(buyer, agent.address(), caps);
        assertThat(escrow.account(agent.address()).caps()).isEqualTo(caps);
    }

    @Test
    void locksAboveACapOrWithoutCapsRevert(Anvil anvil) {
        SettlementFixture f = new SettlementFixture(anvil).fundAgent(100);
        f.escrow.openAccount(f.agent, f.operator.address());
        f.deposit(100);
        Instant expiry = f.inChainTime(HOUR);

        assertThat(f.revertOf(f.agent, lockCall(f, 1, expiry))).isEqualTo("CapsNotSet");
        f.escrow.setCaps(f.operator, f.agent.address(), new EscrowCaps(usdc(10), usdc(25), HOUR));
        assertThat(f.revertOf(f.agent, lockCall(f, 11, expiry))).isEqualTo("LeaseCapExceeded");
        f.lock(10, expiry, "p1");
        f.lock(10, expiry, "p2");
        assertThat(f.revertOf(f.agent, lockCall(f, 10, expiry))).isEqualTo("PeriodCapExceeded");
        f.lock(5, expiry, "p3");
        assertThat(f.escrow.account(f.agent.address()).lockedInPeriod()).isEqualTo(usdc(25));

        // A new period starts once the old one is over.
        anvil.advanceTime(HOUR.toSeconds());
        Lease next = f.lock(10, f.inChainTime(HOUR), "p4");
        assertThat(f.escrow.account(f.agent.address()).lockedInPeriod()).isEqualTo(usdc(10));
        assertThat(next.maxAmount()).isEqualTo(usdc(10));
        // The owner may start one early.
        f.escrow.resetPeriod(f.operator, f.agent.address());
        assertThat(f.escrow.account(f.agent.address()).lockedInPeriod()).isZero();
        assertThat(f.revertOf(f.agent, TxRequest.call(f.escrow.address(), Abi.encodeCall("resetPeriod(address)", Abis.addr(f.agent.address())))))
                .isEqualTo("AgentCannotManageAccount");

        assertThat(f.revertOf(f.agent, f.escrow.lockRequest(Address.ZERO, usdc(1), f.inChainTime(HOUR), "0x" + "00".repeat(32))))
                .isEqualTo("InvalidProvider");
        assertThat(f.revertOf(f.agent, lockCall(f, 0, f.inChainTime(HOUR)))).isEqualTo("InvalidAmount");
        assertThat(f.revertOf(f.agent, lockCall(f, 1, f.inChainTime(Duration.ofSeconds(-1))))).isEqualTo("InvalidExpiry");
        f.escrow.setCaps(f.operator, f.agent.address(), new EscrowCaps(usdc(1_000), usdc(1_000), HOUR));
        assertThat(f.revertOf(f.agent, lockCall(f, 200, f.inChainTime(HOUR)))).isEqualTo("InsufficientDeposit");
    }

    @Test
    void depositsByApprovalPermitAndAuthorizationAndWithdrawals(Anvil anvil) {
        SettlementFixture f = new SettlementFixture(anvil).fundAgent(100);
        Signer relayer = anvil.fundedAccount(1);

        assertThat(f.revertOf(f.agent, f.escrow.depositRequest(usdc(1)))).isEqualTo("AccountNotOpen");
        f.escrow.openAccount(f.agent, f.operator.address());
        f.deposit(10);
        BigInteger deadline = BigInteger.valueOf(f.inChainTime(HOUR).getEpochSecond());
        anvil.chain().sender(f.agent).sendAndWait(f.escrow.depositWithPermitRequest(usdc(20), deadline,
                f.usdc.signPermit(f.agent, f.escrow.address(), usdc(20), deadline)));
        long now = anvil.chain().latestBlockTime().getEpochSecond();
        TransferAuthorization gasless = new TransferAuthorization(f.agent.address(), f.escrow.address(), usdc(30),
                BigInteger.valueOf(now - 60), BigInteger.valueOf(now + 600), TransferAuthorization.nonceFor("deposit-3009"));
        TxReceipt deposited = anvil.chain().sender(relayer).sendAndWait(
                f.escrow.depositWithAuthorizationRequest(gasless, f.usdc.signReceiveAuthorization(f.agent, gasless)));

        assertThat(deposited.logs(f.escrow.address(), ComputeEscrow.DEPOSITED)).hasSize(1);
        assertThat(f.escrow.account(f.agent.address()).balance()).isEqualTo(usdc(60));
        assertThat(f.usdc.balanceOf(f.escrow.address())).isEqualTo(usdc(60));
        assertThat(f.revertOf(relayer, f.escrow.depositWithAuthorizationRequest(gasless,
                f.usdc.signReceiveAuthorization(f.agent, gasless)))).isEqualTo("AuthorizationAlreadyUsed");

        anvil.chain().sender(f.agent).sendAndWait(f.escrow.withdrawRequest(usdc(15)));
        assertThat(f.escrow.account(f.agent.address()).balance()).isEqualTo(usdc(45));
        assertThat(f.usdc.balanceOf(f.agent.address())).isEqualTo(usdc(55));
        assertThat(f.revertOf(f.agent, f.escrow.withdrawRequest(usdc(46)))).isEqualTo("InsufficientDeposit");
    }

    @Test
    void aReleasePaysTheProviderAndReturnsTheRestOnce(Anvil anvil) {
        SettlementFixture f = new SettlementFixture(anvil).fundAgent(100).openAccount(50, 100, HOUR).deposit(100);
        Lease lease = f.lock(40, f.inChainTime(HOUR), "release-me");
        assertThat(f.escrow.account(f.agent.address()).locked()).isEqualTo(usdc(40));

        TxReceipt released = anvil.chain().sender(f.agent).sendAndWait(f.escrow.releaseRequest(lease.leaseId(), usdc(15)));

        assertThat(released.logs(f.escrow.address(), ComputeEscrow.LEASE_RELEASED)).hasSize(1);
        assertThat(f.usdc.balanceOf(f.provider.address())).isEqualTo(usdc(15));
        EscrowAccount account = f.escrow.account(f.agent.address());
        assertThat(account.balance()).isEqualTo(usdc(85));
        assertThat(account.locked()).isZero();
        assertThat(f.escrow.lease(f.agent.address(), lease.leaseId()).open()).isFalse();
        assertThat(f.revertOf(f.agent, f.escrow.releaseRequest(lease.leaseId(), usdc(1)))).isEqualTo("UnknownLease");
        assertThat(f.escrow.releasedIn(f.agent.address(), lease.leaseId())).contains(released.txHash());
        Lease other = f.lock(10, f.inChainTime(HOUR), "too-much");
        assertThat(f.revertOf(f.agent, f.escrow.releaseRequest(other.leaseId(), usdc(11)))).isEqualTo("AmountExceedsLock");
    }

    @Test
    void aRefundReturnsEverythingOnlyAfterExpiryAndAnyoneMaySendIt(Anvil anvil) {
        SettlementFixture f = new SettlementFixture(anvil).fundAgent(100).openAccount(50, 100, HOUR).deposit(100);
        Lease lease = f.lock(30, f.inChainTime(Duration.ofMinutes(10)), "refund-me");
        Signer stranger = anvil.fundedAccount(1);

        assertThat(f.revertOf(stranger, f.escrow.refundRequest(f.agent.address(), lease.leaseId()))).isEqualTo("LeaseNotExpired");
        anvil.advanceTime(Duration.ofMinutes(11).toSeconds());
        TxReceipt refunded = anvil.chain().sender(stranger).sendAndWait(f.escrow.refundRequest(f.agent.address(), lease.leaseId()));

        assertThat(refunded.logs(f.escrow.address(), ComputeEscrow.LEASE_REFUNDED)).hasSize(1);
        assertThat(f.escrow.account(f.agent.address()).balance()).isEqualTo(usdc(100));
        assertThat(f.revertOf(stranger, f.escrow.refundRequest(f.agent.address(), lease.leaseId()))).isEqualTo("UnknownLease");
    }

    @Test
    void aBatchRedeemsTheLatestVoucherOfLeasesFromSeveralAgentsOnce(Anvil anvil) {
        SettlementFixture f = new SettlementFixture(anvil).fundAgent(100).openAccount(50, 100, HOUR).deposit(100);
        Signer agentB = anvil.fundedAccount(10);
        f.usdc.mint(f.deployer, agentB.address(), usdc(50));
        f.escrow.openAccount(agentB, f.operator.address());
        f.escrow.setCaps(f.operator, agentB.address(), new EscrowCaps(usdc(50), usdc(50), HOUR));
        f.usdc.approve(agentB, f.escrow.address(), usdc(50));
        anvil.chain().sender(agentB).sendAndWait(f.escrow.depositRequest(usdc(50)));
        Instant expiry = f.inChainTime(HOUR);
        Lease a1 = f.lock(10, expiry, "a1");
        Lease a2 = f.lock(20, expiry, "a2");
        Lease b1 = f.escrow.leaseLocked(anvil.chain().sender(agentB).sendAndWait(
                f.escrow.lockRequest(f.provider.address(), usdc(30), expiry, SettlementClient.refOf("b1"))));
        VoucherBook book = new VoucherBook(f.escrow, f.provider.address(), chainClock(anvil));

        // Several verified jobs per lease: each voucher replaces the one before.
        assertThat(book.accept(f.escrow.signVoucher(f.agent, new Voucher(a1.leaseId(), usdc(2), BigInteger.ONE)))).isEqualTo(usdc(2));
        assertThat(book.accept(f.escrow.signVoucher(f.agent, new Voucher(a1.leaseId(), usdc(7), BigInteger.TWO)))).isEqualTo(usdc(5));
        book.accept(f.escrow.signVoucher(f.agent, new Voucher(a2.leaseId(), usdc(20), BigInteger.ONE)));
        book.accept(f.escrow.signVoucher(agentB, new Voucher(b1.leaseId(), usdc(1), BigInteger.ONE)));
        SignedVoucher stale = f.escrow.signVoucher(f.agent, new Voucher(a1.leaseId(), usdc(3), BigInteger.ONE));
        assertThatThrownBy(() -> book.accept(stale)).isInstanceOfSatisfying(SettlementException.class,
                e -> assertThat(e.reason()).isEqualTo(SettlementException.Reason.VOUCHER_NOT_NEWER));
        PaymentExecutor providerExecutor = new PaymentExecutor(anvil.chain(), f.provider, PaymentStores.inMemory());

        Payment redeemed = book.redeemAll("redeem-1", providerExecutor);

        assertThat(f.usdc.balanceOf(f.provider.address())).isEqualTo(usdc(28));
        assertThat(f.escrow.account(f.agent.address()).balance()).isEqualTo(usdc(100 - 7 - 20));
        assertThat(f.escrow.account(f.agent.address()).locked()).isZero();
        assertThat(f.escrow.account(agentB.address()).balance()).isEqualTo(usdc(49));
        assertThat(redeemed.receipt().logs(f.escrow.address(), ComputeEscrow.VOUCHERS_REDEEMED)).as("one event per agent").hasSize(2);
        assertThat(f.escrow.redemptions(redeemed.receipt())).extracting(ComputeEscrow.Redemption::leaseId, ComputeEscrow.Redemption::amount)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(a1.leaseId(), usdc(7)),
                        org.assertj.core.groups.Tuple.tuple(a2.leaseId(), usdc(20)),
                        org.assertj.core.groups.Tuple.tuple(b1.leaseId(), usdc(1)));
        assertThat(book.size()).isZero();
        assertThat(f.escrow.closedIn(f.agent.address(), a1.leaseId())).contains(redeemed.txHash());

        // Every replay is refused: the same voucher, an older one, and the provider's book too.
        SignedVoucher latest = f.escrow.signVoucher(f.agent, new Voucher(a1.leaseId(), usdc(7), BigInteger.TWO));
        assertThat(f.revertOf(f.provider, f.escrow.redeemBatchRequest(List.of(latest)))).isEqualTo("UnknownLease");
        assertThat(f.revertOf(f.provider, f.escrow.redeemBatchRequest(List.of(stale)))).isEqualTo("UnknownLease");
        assertThatThrownBy(() -> book.accept(latest)).isInstanceOfSatisfying(SettlementException.class,
                e -> assertThat(e.reason()).isEqualTo(SettlementException.Reason.LEASE_NOT_OPEN));
        assertThat(book.redeemAll("redeem-1", providerExecutor).resumed()).as("the same key does not redeem twice").isTrue();
    }

    @Test
    void theJavaVoucherDigestIsTheContracts(Anvil anvil) {
        SettlementFixture f = new SettlementFixture(anvil);
        Voucher v = new Voucher(LeaseIds.of(f.provider.address(), 12), BigInteger.valueOf(123_456), BigInteger.valueOf(9));

        assertThat(f.escrow.voucherDigestOnChain(v)).isEqualTo(Eip712.digest(v.typedData(anvil.chain().chainId(), f.escrow.address())));
    }

    @Test
    void forgedExpiredOversizedAndForeignVouchersAreRefused(Anvil anvil) {
        SettlementFixture f = new SettlementFixture(anvil).fundAgent(100).openAccount(50, 100, HOUR).deposit(100);
        Signer impostor = anvil.fundedAccount(1);
        Signer otherProvider = anvil.fundedAccount(1);
        Lease lease = f.lock(10, f.inChainTime(Duration.ofMinutes(30)), "forgeries");
        VoucherBook book = new VoucherBook(f.escrow, f.provider.address(), chainClock(anvil));

        // Signed by another key, claiming to be the agent's.
        Voucher v = new Voucher(lease.leaseId(), usdc(5), BigInteger.ONE);
        SignedVoucher forged = new SignedVoucher(v, f.agent.address(), f.escrow.signVoucher(impostor, v).signature());
        assertThatThrownBy(() -> book.accept(forged)).isInstanceOfSatisfying(SettlementException.class,
                e -> assertThat(e.reason()).isEqualTo(SettlementException.Reason.VOUCHER_WRONG_SIGNER));
        assertThat(f.revertOf(f.provider, f.escrow.redeemBatchRequest(List.of(forged)))).isEqualTo("UnknownLease");

        // Above the lock.
        SignedVoucher tooMuch = f.escrow.signVoucher(f.agent, new Voucher(lease.leaseId(), usdc(11), BigInteger.ONE));
        assertThatThrownBy(() -> book.accept(tooMuch)).isInstanceOfSatisfying(SettlementException.class,
                e -> assertThat(e.reason()).isEqualTo(SettlementException.Reason.VOUCHER_ABOVE_LOCK));
        assertThat(f.revertOf(f.provider, f.escrow.redeemBatchRequest(List.of(tooMuch)))).isEqualTo("AmountExceedsLock");

        // An s in the upper half of the curve order (EIP-2): refused before ecrecover.
        SignedVoucher good = f.escrow.signVoucher(f.agent, v);
        BigInteger highS = org.web3j.crypto.Sign.CURVE_PARAMS.getN().shiftRight(1).add(BigInteger.ONE);
        Signature high = new Signature(good.signature().r(), highS, 27);
        assertThat(f.revertOf(f.provider, f.escrow.redeemBatchRequest(List.of(new SignedVoucher(v, f.agent.address(), high)))))
                .isEqualTo("InvalidVoucherSignature");

        // Another provider cannot take it: the lease id it signs names this provider.
        assertThatThrownBy(() -> new VoucherBook(f.escrow, otherProvider.address(), chainClock(anvil)).accept(good))
                .isInstanceOfSatisfying(SettlementException.class, e -> assertThat(e.reason()).isEqualTo(SettlementException.Reason.WRONG_PROVIDER));
        assertThat(f.revertOf(otherProvider, f.escrow.redeemBatchRequest(List.of(good)))).isEqualTo("UnknownLease");
        assertThat(f.revertOf(f.provider, TxRequest.call(f.escrow.address(),
                Abi.encodeCall("redeemBatch((uint256,uint256,uint256,bytes32,bytes32)[])",
                        new org.web3j.abi.datatypes.DynamicArray<>(ComputeEscrow.VoucherTuple.class, List.of())))))
                .isEqualTo("EmptyBatch");

        // Expired: the provider waited too long.
        anvil.advanceTime(Duration.ofMinutes(31).toSeconds());
        VoucherBook later = new VoucherBook(f.escrow, f.provider.address(), chainClock(anvil));
        assertThatThrownBy(() -> later.accept(good)).isInstanceOfSatisfying(SettlementException.class,
                e -> assertThat(e.reason()).isEqualTo(SettlementException.Reason.VOUCHER_EXPIRED));
        assertThat(f.revertOf(f.provider, f.escrow.redeemBatchRequest(List.of(good)))).isEqualTo("LeaseExpired");
        assertThat(f.usdc.balanceOf(f.provider.address())).isZero();
    }

    private static Clock chainClock(Anvil anvil) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), anvil.chain().latestBlockTime()).plusSeconds(1))
                .withZone(ZoneOffset.UTC);
    }

    private static TxRequest lockCall(SettlementFixture f, long tokens, Instant expiry) {
        return f.escrow.lockRequest(f.provider.address(), usdc(tokens), expiry, SettlementClient.refOf("call-" + tokens + expiry));
    }

    private static TxRequest capsCall(SettlementFixture f, Address agent, long perLease, long perPeriod) {
        return escrowCaps(f.escrow, agent, new EscrowCaps(usdc(perLease), usdc(perPeriod), HOUR));
    }

    private static TxRequest escrowCaps(ComputeEscrow escrow, Address agent, EscrowCaps caps) {
        return TxRequest.call(escrow.address(), Abi.encodeCall("setCaps(address,uint128,uint128,uint64)", Abis.addr(agent),
                new org.web3j.abi.datatypes.generated.Uint128(caps.maxPerLease()),
                new org.web3j.abi.datatypes.generated.Uint128(caps.maxPerPeriod()),
                new org.web3j.abi.datatypes.generated.Uint64(BigInteger.valueOf(caps.period().toSeconds()))));
    }
}
