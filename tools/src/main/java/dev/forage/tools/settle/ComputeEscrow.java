package dev.forage.tools.settle;

import static dev.forage.tools.settle.Abis.addr;
import static dev.forage.tools.settle.Abis.bytes32;
import static dev.forage.tools.settle.Abis.uint;
import static dev.forage.tools.settle.Abis.uint8;

import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.ContractArtifact;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.chain.TxRequest;
import dev.forage.identity.eip712.Eip712;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * Client of a {@code ComputeEscrow} contract: accounts and owner-set caps, deposits, lease
 * locks, releases, refunds and batched voucher redemption. Methods named {@code *Request}
 * return the call to send (so a {@link PaymentExecutor} can send it exactly once); the others
 * send and wait. Semantics: {@code tools/src/main/solidity/README.md}.
 */
public final class ComputeEscrow {

    /** {@code LeaseLocked(address,uint256,bytes32,uint256,uint256)}. */
    public static final String LEASE_LOCKED = Abi.topic("LeaseLocked(address,uint256,bytes32,uint256,uint256)");
    /** {@code LeaseReleased(address,uint256,uint256,uint256)}. */
    public static final String LEASE_RELEASED = Abi.topic("LeaseReleased(address,uint256,uint256,uint256)");
    /** {@code LeaseRefunded(address,uint256,uint256)}. */
    public static final String LEASE_REFUNDED = Abi.topic("LeaseRefunded(address,uint256,uint256)");
    /** {@code VouchersRedeemed(address,address,uint256[],uint256[])}. */
    public static final String VOUCHERS_REDEEMED = Abi.topic("VouchersRedeemed(address,address,uint256[],uint256[])");
    /** {@code Deposited(address,address,uint256)}. */
    public static final String DEPOSITED = Abi.topic("Deposited(address,address,uint256)");

    private final EvmChain chain;
    private final Address address;

    /**
     * The ABI tuple {@code (uint256 lease, uint256 cumulativeAmount, uint256 nonce, bytes32 r, bytes32 vs)}
     * that {@code redeemBatch} takes: the lease's number, not its full id, which the contract
     * rebuilds from the sending provider's address.
     */
    public static final class VoucherTuple extends StaticStruct {
        public VoucherTuple(SignedVoucher v) {
            super(new Uint256(LeaseIds.number(v.voucher().leaseId())), new Uint256(v.voucher().cumulativeAmount()),
                    new Uint256(v.voucher().nonce()), new Bytes32(v.r()), new Bytes32(v.vs()));
        }
    }

    /**
     * One lease's payment in a {@code VouchersRedeemed} event.
     *
     * @param agent the lease's agent
     * @param provider who was paid
     * @param leaseId the lease
     * @param amount base units paid
     * @param txHash the redeeming transaction
     */
    public record Redemption(Address agent, Address provider, BigInteger leaseId, BigInteger amount, String txHash) {}

    private ComputeEscrow(EvmChain chain, Address address) {
        this.chain = chain;
        this.address = address;
        chain.learnErrors(artifact().abi());
    }

    /** The compiled contract. */
    public static ContractArtifact artifact() {
        return ContractArtifact.load(ComputeEscrow.class, TestUsdc.ARTIFACTS, "ComputeEscrow");
    }

    /**
     * Deploys an escrow for {@code token}.
     *
     * @param identityRegistry the ERC-8004 Identity Registry identity-bound accounts follow;
     *     empty for operator-owned accounts only
     */
    public static ComputeEscrow deploy(EvmChain chain, Signer deployer, Address token, Optional<Address> identityRegistry) {
        String args = Abi.encodeArguments(addr(token), addr(identityRegistry.orElse(Address.ZERO)));
        try {
            return new ComputeEscrow(chain, artifact().deploy(chain.sender(deployer), chain, args));
        } catch (ChainException e) {
            throw SettlementException.of("deploying ComputeEscrow", e);
        }
    }

    /** A client for the escrow at {@code address}. */
    public static ComputeEscrow at(EvmChain chain, Address address) {
        return new ComputeEscrow(chain, address);
    }

    /** The escrow contract. */
    public Address address() {
        return address;
    }

    /** The chain. */
    public EvmChain chain() {
        return chain;
    }

    // ------------------------------------------------------------------ accounts and caps

    /** {@code openAccount(operator)}: the sender (the agent key) opens its account owned by {@code operator}. */
    public TxRequest openAccountRequest(Address operator) {
        return call(Abi.encodeCall("openAccount(address)", addr(operator)));
    }

    /** {@code openAccountWithIdentity(agentId)}: the sender must be the agent's ERC-8004 agent wallet. */
    public TxRequest openAccountWithIdentityRequest(BigInteger agentId) {
        return call(Abi.encodeCall("openAccountWithIdentity(uint256)", uint(agentId)));
    }

    /** Opens {@code agent}'s account owned by {@code operator}. */
    public TxReceipt openAccount(Signer agent, Address operator) {
        return send(agent, openAccountRequest(operator), "opening the account of " + agent.address());
    }

    /** Opens {@code agent}'s account bound to ERC-8004 agent {@code agentId}. */
    public TxReceipt openAccountWithIdentity(Signer agent, BigInteger agentId) {
        return send(agent, openAccountWithIdentityRequest(agentId), "opening the identity-bound account of " + agent.address());
    }

    /** Sets {@code agent}'s caps; {@code owner} must be the account's owner (never the agent). */
    public TxReceipt setCaps(Signer owner, Address agent, EscrowCaps caps) {
        return send(owner, call(Abi.encodeCall("setCaps(address,uint128,uint128,uint64)", addr(agent),
                new org.web3j.abi.datatypes.generated.Uint128(caps.maxPerLease()),
                new org.web3j.abi.datatypes.generated.Uint128(caps.maxPerPeriod()),
                new org.web3j.abi.datatypes.generated.Uint64(BigInteger.valueOf(caps.period().toSeconds())))),
                "setting the caps of " + agent);
    }

    /** Starts a new period for {@code agent} now; the owner only. */
    public TxReceipt resetPeriod(Signer owner, Address agent) {
        return send(owner, call(Abi.encodeCall("resetPeriod(address)", addr(agent))), "resetting the period of " + agent);
    }

    /** Hands an operator-owned account to {@code newOperator}; the owner only. */
    public TxReceipt setOperator(Signer owner, Address agent, Address newOperator) {
        return send(owner, call(Abi.encodeCall("setOperator(address,address)", addr(agent), addr(newOperator))),
                "changing the operator of " + agent);
    }

    // ------------------------------------------------------------------ deposits

    /** {@code deposit(amount)} (needs an allowance). */
    public TxRequest depositRequest(BigInteger amount) {
        return call(Abi.encodeCall("deposit(uint256)", uint(amount)));
    }

    /** {@code depositWithPermit(amount, deadline, v, r, s)} with a permit for this escrow. */
    public TxRequest depositWithPermitRequest(BigInteger amount, BigInteger deadline, Signature permit) {
        return call(Abi.encodeCall("depositWithPermit(uint256,uint256,uint8,bytes32,bytes32)", uint(amount), uint(deadline),
                uint8(permit.v()), bytes32(Numeric.toBytesPadded(permit.r(), 32)), bytes32(Numeric.toBytesPadded(permit.s(), 32))));
    }

    /** {@code depositWithAuthorization}: a {@code ReceiveWithAuthorization} to this escrow; anyone may send it. */
    public TxRequest depositWithAuthorizationRequest(TransferAuthorization a, Signature signature) {
        if (!a.to().equals(address)) {
            throw new SettlementException(SettlementException.Reason.INVALID_ARGUMENT, "a deposit authorization must pay the escrow "
                    + address + ", not " + a.to(), false);
        }
        return call(Abi.encodeCall("depositWithAuthorization(address,uint256,uint256,uint256,bytes32,bytes)", addr(a.from()),
                uint(a.value()), uint(a.validAfter()), uint(a.validBefore()), bytes32(a.nonce()),
                new DynamicBytes(signature.bytes())));
    }

    /** {@code withdraw(amount)}: free deposit back to the agent. */
    public TxRequest withdrawRequest(BigInteger amount) {
        return call(Abi.encodeCall("withdraw(uint256)", uint(amount)));
    }

    // ------------------------------------------------------------------ leases

    /**
     * {@code lock(provider, maxAmount, expiry, ref)}.
     *
     * @param ref 32 bytes, {@code 0x}-prefixed hex, emitted with the lock
     */
    public TxRequest lockRequest(Address provider, BigInteger maxAmount, Instant expiry, String ref) {
        return call(Abi.encodeCall("lock(address,uint256,uint256,bytes32)", addr(provider), uint(maxAmount),
                uint(expiry.getEpochSecond()), bytes32(ref)));
    }

    /** {@code release(leaseId, amount)}: the agent pays {@code amount} and closes the lease. */
    public TxRequest releaseRequest(BigInteger leaseId, BigInteger amount) {
        return call(Abi.encodeCall("release(uint256,uint256)", uint(leaseId), uint(amount)));
    }

    /** {@code refund(agent, leaseId)}: after expiry, anyone returns the lock to the deposit. */
    public TxRequest refundRequest(Address agent, BigInteger leaseId) {
        return call(Abi.encodeCall("refund(address,uint256)", addr(agent), uint(leaseId)));
    }

    /**
     * {@code redeemBatch(vouchers)}: the provider redeems the latest voucher of each lease. It
     * must be sent by the provider every voucher pays.
     */
    public TxRequest redeemBatchRequest(List<SignedVoucher> vouchers) {
        if (vouchers.isEmpty()) {
            throw new SettlementException(SettlementException.Reason.INVALID_ARGUMENT, "a redemption batch needs at least one voucher", false);
        }
        Address provider = vouchers.get(0).voucher().provider();
        for (SignedVoucher v : vouchers) {
            if (!v.voucher().provider().equals(provider)) {
                throw new SettlementException(SettlementException.Reason.WRONG_PROVIDER, "a batch redeems one provider's vouchers,"
                        + " but lease " + v.voucher().leaseId() + " pays " + v.voucher().provider() + " and another " + provider, false);
            }
        }
        DynamicArray<VoucherTuple> array = new DynamicArray<>(VoucherTuple.class, vouchers.stream().map(VoucherTuple::new).toList());
        return call(Abi.encodeCall("redeemBatch((uint256,uint256,uint256,bytes32,bytes32)[])", array));
    }

    // ------------------------------------------------------------------ vouchers

    /** Signs {@code voucher} with the agent's key. */
    public SignedVoucher signVoucher(Signer agent, Voucher voucher) {
        return new SignedVoucher(voucher, agent.address(), agent.signTypedData(voucher.typedData(chain.chainId(), address)));
    }

    /** The address that signed {@code voucher}. */
    public Address voucherSigner(SignedVoucher voucher) {
        return Eip712.recover(Eip712.digest(voucher.voucher().typedData(chain.chainId(), address)), voucher.signature());
    }

    /** The digest the contract computes for {@code voucher} (to cross-check the Java encoding). */
    public byte[] voucherDigestOnChain(Voucher voucher) {
        return (byte[]) read(Abi.encodeCall("voucherDigest(uint256,uint256,uint256)", uint(voucher.leaseId()),
                uint(voucher.cumulativeAmount()), uint(voucher.nonce())), "bytes32").get(0).getValue();
    }

    // ------------------------------------------------------------------ views and events

    /** The account of {@code agent}. */
    @SuppressWarnings("rawtypes")
    public EscrowAccount account(Address agent) {
        List<Type> v = read(Abi.encodeCall("accountOf(address)", addr(agent)),
                "bool", "bool", "uint256", "address", "uint256", "uint256", "uint256", "uint256", "uint256", "uint256", "uint256");
        return new EscrowAccount(Abis.bool(v.get(0)), Abis.bool(v.get(1)), Abis.number(v.get(2)), Abis.address(v.get(3)),
                Abis.number(v.get(4)), Abis.number(v.get(5)),
                new EscrowCaps(Abis.number(v.get(6)), Abis.number(v.get(7)), Duration.ofSeconds(Abis.number(v.get(8)).longValueExact())),
                Instant.ofEpochSecond(Abis.number(v.get(9)).longValueExact()), Abis.number(v.get(10)));
    }

    /**
     * A lease's state.
     *
     * @param open whether it is still open
     * @param maxAmount its lock (0 once closed)
     * @param expiry its expiry (epoch 0 once closed)
     */
    public record LeaseState(boolean open, BigInteger maxAmount, Instant expiry) {}

    /** The state of {@code agent}'s lease {@code leaseId}. */
    @SuppressWarnings("rawtypes")
    public LeaseState lease(Address agent, BigInteger leaseId) {
        List<Type> v = read(Abi.encodeCall("leaseOf(address,uint256)", addr(agent), uint(leaseId)),
                "bool", "address", "uint256", "uint256");
        return new LeaseState(Abis.bool(v.get(0)), Abis.number(v.get(2)), Instant.ofEpochSecond(Abis.number(v.get(3)).longValueExact()));
    }

    /** How many leases {@code agent} has locked with {@code provider}. */
    public long leaseCount(Address agent, Address provider) {
        return Abis.number(read(Abi.encodeCall("leaseCount(address,address)", addr(agent), addr(provider)), "uint256").get(0))
                .longValueExact();
    }

    /** The lease a lock transaction created. */
    public Lease leaseLocked(TxReceipt receipt) {
        TxReceipt.Log log = receipt.logs(address, LEASE_LOCKED).stream().findFirst().orElseThrow(() -> new SettlementException(
                SettlementException.Reason.INVALID_ARGUMENT, "transaction " + receipt.txHash() + " locked no lease at " + address, false));
        return lease(log.topics(), log.data(), receipt.txHash());
    }

    /** The lease {@code agent} locked with reference {@code ref}, found in the escrow's events. */
    public Optional<Lease> leaseByRef(Address agent, String ref) {
        return Abis.logs(chain, address, LEASE_LOCKED, Abis.topic(agent), null, ref.toLowerCase(java.util.Locale.ROOT)).stream()
                .findFirst().map(l -> lease(l.topics(), l.data(), l.txHash()));
    }

    /** The transaction that released {@code agent}'s lease, if any. */
    public Optional<String> releasedIn(Address agent, BigInteger leaseId) {
        return Abis.logs(chain, address, LEASE_RELEASED, Abis.topic(agent), Abis.topic(leaseId)).stream()
                .map(Abis.Log::txHash).findFirst();
    }

    /** The transaction that refunded {@code agent}'s lease, if any. */
    public Optional<String> refundedIn(Address agent, BigInteger leaseId) {
        return Abis.logs(chain, address, LEASE_REFUNDED, Abis.topic(agent), Abis.topic(leaseId)).stream()
                .map(Abis.Log::txHash).findFirst();
    }

    /** The transaction that closed {@code agent}'s lease (release, refund or redemption), if any. */
    public Optional<String> closedIn(Address agent, BigInteger leaseId) {
        String agentTopic = Abis.topic(agent);
        String idTopic = Abis.topic(leaseId);
        for (String topic : List.of(LEASE_RELEASED, LEASE_REFUNDED)) {
            Optional<String> tx = Abis.logs(chain, address, topic, agentTopic, idTopic).stream().map(Abis.Log::txHash).findFirst();
            if (tx.isPresent()) {
                return tx;
            }
        }
        return Abis.logs(chain, address, VOUCHERS_REDEEMED, agentTopic, Abis.topic(LeaseIds.provider(leaseId))).stream()
                .filter(l -> redemptions(agent, LeaseIds.provider(leaseId), l.data(), l.txHash()).stream()
                        .anyMatch(r -> r.leaseId().equals(leaseId)))
                .map(Abis.Log::txHash).findFirst();
    }

    /** The redemptions a {@code redeemBatch} transaction made. */
    public List<Redemption> redemptions(TxReceipt receipt) {
        List<Redemption> out = new ArrayList<>();
        for (TxReceipt.Log log : receipt.logs(address, VOUCHERS_REDEEMED)) {
            Address agent = Address.parse((String) Abi.decodeTopic(log.topics().get(1), "address").getValue());
            Address provider = Address.parse((String) Abi.decodeTopic(log.topics().get(2), "address").getValue());
            out.addAll(redemptions(agent, provider, log.data(), receipt.txHash()));
        }
        return out;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<Redemption> redemptions(Address agent, Address provider, String data, String txHash) {
        List<Type> v = Abi.decode(data, "uint256[]", "uint256[]");
        List<Type> ids = (List<Type>) v.get(0).getValue();
        List<Type> amounts = (List<Type>) v.get(1).getValue();
        List<Redemption> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            out.add(new Redemption(agent, provider, Abis.number(ids.get(i)), Abis.number(amounts.get(i)), txHash));
        }
        return out;
    }

    @SuppressWarnings("rawtypes")
    private static Lease lease(List<String> topics, String data, String txHash) {
        Address agent = Address.parse((String) Abi.decodeTopic(topics.get(1), "address").getValue());
        BigInteger leaseId = Numeric.toBigInt(topics.get(2));
        List<Type> v = Abi.decode(data, "uint256", "uint256");
        return new Lease(agent, leaseId, Abis.number(v.get(0)), Instant.ofEpochSecond(Abis.number(v.get(1)).longValueExact()),
                topics.get(3), txHash);
    }

    private TxRequest call(String data) {
        return TxRequest.call(address, data);
    }

    private TxReceipt send(Signer from, TxRequest request, String what) {
        try {
            return chain.sender(from).sendAndWait(request);
        } catch (ChainException e) {
            throw SettlementException.of(what + " on ComputeEscrow " + address, e);
        }
    }

    @SuppressWarnings("rawtypes")
    private List<Type> read(String data, String... outputs) {
        try {
            return Abi.decode(chain.call(address, data), outputs);
        } catch (ChainException e) {
            throw SettlementException.of("reading ComputeEscrow " + address, e);
        }
    }

    @Override
    public String toString() {
        return "ComputeEscrow[" + address + " on " + chain.chainId() + "]";
    }
}
