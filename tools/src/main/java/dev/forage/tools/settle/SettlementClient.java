package dev.forage.tools.settle;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.EvmChain;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.settle.spi.PaymentRequest;
import dev.forage.tools.settle.spi.PaymentStore;
import dev.forage.tools.settle.spi.StepHook;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * An agent's settlement: plain stablecoin payments, escrow deposits, lease locks, releases,
 * refunds and cumulative vouchers, each under an idempotency key (the intent id).
 *
 * <p>Every operation that can move the agent's money asks the {@link PaymentGuard} before
 * anything is signed; a denial throws {@link PaymentDeniedException} and signs nothing.
 * Every transaction goes through a {@link PaymentExecutor}: a retry or a restart with the same
 * key never pays twice. Call {@link #recover()} once at start-up.
 */
public final class SettlementClient {

    private final EvmChain chain;
    private final Signer agent;
    private final Eip3009Token token;
    private final Optional<ComputeEscrow> escrow;
    private final PaymentGuard guard;
    private final PaymentExecutor executor;
    private final Clock clock;
    private final Map<BigInteger, SignedVoucher> latestVouchers = new ConcurrentHashMap<>();
    private final Map<String, SignedVoucher> vouchersByKey = new ConcurrentHashMap<>();

    /**
     * What a client needs.
     *
     * @param chain the chain
     * @param agent the agent's key: pays, deposits, locks, signs vouchers
     * @param token the stablecoin
     * @param escrow the escrow, if the agent uses one
     * @param guard asked before every signature that can move money
     * @param store write-ahead payment records
     * @param hook observes payment steps
     * @param clock the time for records, permits and voucher expiry checks
     */
    public record Config(EvmChain chain, Signer agent, Eip3009Token token, Optional<ComputeEscrow> escrow, PaymentGuard guard,
            PaymentStore store, StepHook hook, Clock clock) {
        public Config {
            Objects.requireNonNull(chain, "chain");
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(escrow, "escrow");
            Objects.requireNonNull(guard, "guard");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(hook, "hook");
            Objects.requireNonNull(clock, "clock");
        }

        /** A config with no hook and the system clock. */
        public static Config of(EvmChain chain, Signer agent, Eip3009Token token, Optional<ComputeEscrow> escrow,
                PaymentGuard guard, PaymentStore store) {
            return new Config(chain, agent, token, escrow, guard, store, StepHook.none(), Clock.systemUTC());
        }

        /** The same config with {@code hook}. */
        public Config withHook(StepHook hook) {
            return new Config(chain, agent, token, escrow, guard, store, hook, clock);
        }

        /** The same config with {@code clock}. */
        public Config withClock(Clock clock) {
            return new Config(chain, agent, token, escrow, guard, store, hook, clock);
        }
    }

    private SettlementClient(Config c) {
        this.chain = c.chain();
        this.agent = c.agent();
        this.token = c.token();
        this.escrow = c.escrow();
        this.guard = c.guard();
        this.clock = c.clock();
        this.executor = new PaymentExecutor(c.chain(), c.agent(), c.store(), c.hook(), c.clock(), c.chain().receiptPolicy());
    }

    /** A client for {@code config}. */
    public static SettlementClient create(Config config) {
        return new SettlementClient(config);
    }

    /** The agent's address. */
    public Address agent() {
        return agent.address();
    }

    /** The executor that sends this agent's transactions. */
    public PaymentExecutor executor() {
        return executor;
    }

    /** Settles the payments a previous run left in flight. Call before paying anything new. */
    public List<Payment> recover() {
        return executor.recover();
    }

    /** A hash of an idempotency key, as the escrow's {@code ref}: {@code keccak256("forage.ref:" || key)}. */
    public static String refOf(String key) {
        return Numeric.toHexString(Hash.sha3(("forage.ref:" + key).getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------ plain payments

    /**
     * Pays {@code amount} base units of the stablecoin to {@code payee} with an ERC-20
     * transfer, exactly once for {@code key}.
     *
     * @param resource what is paid for (for the guard), empty for none
     */
    public Payment transfer(String key, Address payee, BigInteger amount, String resource) {
        PaymentRequest request = request(key, PaymentRequest.TRANSFER, payee, amount, resource, "transfer");
        return executor.execute(key, "transfer " + amount + " to " + payee, () -> token.transferRequest(payee, amount),
                () -> PaymentGuards.require(guard, request), PaymentExecutor.OnChainLookup.none());
    }

    // ------------------------------------------------------------------ escrow

    /** Opens the agent's escrow account owned by {@code operator} (not the agent). */
    public Payment openAccount(String key, Address operator) {
        ComputeEscrow e = escrow();
        return executor.execute(key, "open escrow account owned by " + operator, () -> e.openAccountRequest(operator),
                () -> {}, PaymentExecutor.OnChainLookup.none());
    }

    /** Opens the agent's escrow account bound to its ERC-8004 agent id. */
    public Payment openAccountWithIdentity(String key, BigInteger agentId) {
        ComputeEscrow e = escrow();
        return executor.execute(key, "open escrow account for ERC-8004 agent " + agentId,
                () -> e.openAccountWithIdentityRequest(agentId), () -> {}, PaymentExecutor.OnChainLookup.none());
    }

    /** Deposits {@code amount} into the escrow with an EIP-2612 permit, in one transaction. */
    public Payment deposit(String key, BigInteger amount) {
        ComputeEscrow e = escrow();
        PaymentRequest request = request(key, PaymentRequest.DEPOSIT, e.address(), amount, "", "escrow");
        return executor.execute(key, "deposit " + amount + " into escrow " + e.address(), () -> {
            BigInteger deadline = BigInteger.valueOf(clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
            Signature permit = token.signPermit(agent, e.address(), amount, deadline);
            return e.depositWithPermitRequest(amount, deadline, permit);
        }, () -> PaymentGuards.require(guard, request), PaymentExecutor.OnChainLookup.none());
    }

    /** Withdraws free deposit back to the agent (money returns, so the guard is not asked). */
    public Payment withdraw(String key, BigInteger amount) {
        ComputeEscrow e = escrow();
        return executor.execute(key, "withdraw " + amount + " from escrow", () -> e.withdrawRequest(amount), () -> {},
                PaymentExecutor.OnChainLookup.none());
    }

    /**
     * Locks {@code maxAmount} of the deposit for a lease with {@code provider} until
     * {@code expiry}, exactly once for {@code key} (the lock carries a hash of the key, which a
     * retry finds on chain).
     */
    public Lease lock(String key, Address provider, BigInteger maxAmount, Instant expiry) {
        ComputeEscrow e = escrow();
        String ref = refOf(key);
        PaymentRequest request = request(key, PaymentRequest.LOCK, provider, maxAmount, "", "escrow");
        Payment payment = executor.execute(key, "lock " + maxAmount + " for " + provider + " until " + expiry,
                () -> e.lockRequest(provider, maxAmount, expiry, ref), () -> PaymentGuards.require(guard, request),
                k -> e.leaseByRef(agent.address(), ref).map(Lease::lockTx));
        return e.leaseLocked(payment.receipt());
    }

    /** Closes {@code lease}, paying its provider {@code amount} and returning the rest to the deposit. */
    public Payment release(String key, Lease lease, BigInteger amount) {
        ComputeEscrow e = escrow();
        PaymentRequest request = request(key, PaymentRequest.RELEASE, lease.provider(), amount, lease.leaseId().toString(), "escrow");
        return executor.execute(key, "release " + amount + " of lease " + lease.leaseId(),
                () -> e.releaseRequest(lease.leaseId(), amount), () -> PaymentGuards.require(guard, request),
                k -> e.releasedIn(agent.address(), lease.leaseId()));
    }

    /** After expiry, returns an unredeemed lease's lock to the deposit. */
    public Payment refund(String key, Lease lease) {
        ComputeEscrow e = escrow();
        return executor.execute(key, "refund lease " + lease.leaseId(), () -> e.refundRequest(lease.agent(), lease.leaseId()),
                () -> {}, k -> e.refundedIn(lease.agent(), lease.leaseId()));
    }

    /**
     * Signs the lease's next cumulative voucher: {@code cumulativeAmount} is everything owed on
     * the lease so far. The guard is asked about the increment over the previous voucher. The
     * same key returns the same voucher without asking again.
     *
     * @throws SettlementException VOUCHER_NOT_NEWER if it does not increase on the previous
     *     voucher, VOUCHER_ABOVE_LOCK above the lease's lock, VOUCHER_EXPIRED after its expiry
     * @throws PaymentDeniedException if the guard refuses; nothing is signed
     */
    public SignedVoucher voucher(String key, Lease lease, BigInteger cumulativeAmount) {
        ComputeEscrow e = escrow();
        synchronized (latestVouchers) {
            SignedVoucher same = vouchersByKey.get(key);
            if (same != null) {
                return same;
            }
            if (!lease.agent().equals(agent.address())) {
                throw new SettlementException(SettlementException.Reason.INVALID_ARGUMENT, "lease " + lease.leaseId()
                        + " belongs to " + lease.agent() + ", not to this agent " + agent.address(), false);
            }
            if (!clock.instant().isBefore(lease.expiry())) {
                throw new SettlementException(SettlementException.Reason.VOUCHER_EXPIRED, "lease " + lease.leaseId()
                        + " expired at " + lease.expiry() + "; vouchers for it can no longer be redeemed", false);
            }
            if (cumulativeAmount.compareTo(lease.maxAmount()) > 0) {
                throw new SettlementException(SettlementException.Reason.VOUCHER_ABOVE_LOCK, "voucher amount " + cumulativeAmount
                        + " is above lease " + lease.leaseId() + "'s lock of " + lease.maxAmount(), false);
            }
            SignedVoucher previous = latestVouchers.get(lease.leaseId());
            BigInteger before = previous == null ? BigInteger.ZERO : previous.voucher().cumulativeAmount();
            if (previous != null && cumulativeAmount.compareTo(before) <= 0) {
                throw new SettlementException(SettlementException.Reason.VOUCHER_NOT_NEWER, "voucher amount " + cumulativeAmount
                        + " does not increase on the previous voucher's " + before + " for lease " + lease.leaseId(), false);
            }
            BigInteger nonce = previous == null ? BigInteger.ONE : previous.voucher().nonce().add(BigInteger.ONE);
            PaymentRequest request = request(key, PaymentRequest.VOUCHER, lease.provider(), cumulativeAmount.subtract(before),
                    lease.leaseId().toString(), "voucher");
            PaymentGuards.require(guard, request);
            SignedVoucher signed = e.signVoucher(agent, new Voucher(lease.leaseId(), cumulativeAmount, nonce));
            latestVouchers.put(lease.leaseId(), signed);
            vouchersByKey.put(key, signed);
            return signed;
        }
    }

    /** The agent's escrow account. */
    public EscrowAccount account() {
        return escrow().account(agent.address());
    }

    private ComputeEscrow escrow() {
        return escrow.orElseThrow(() -> new SettlementException(SettlementException.Reason.INVALID_ARGUMENT,
                "this settlement client has no escrow; configure one to use deposits, leases and vouchers", false));
    }

    private PaymentRequest request(String key, String action, Address payee, BigInteger amount, String resource, String scheme) {
        ChainId network = chain.chainId();
        return new PaymentRequest(key, action, agent.address(), payee, token.address(), network, amount, resource, scheme);
    }

    @Override
    public String toString() {
        return "SettlementClient[" + agent.address() + " on " + chain.chainId() + "]";
    }
}
