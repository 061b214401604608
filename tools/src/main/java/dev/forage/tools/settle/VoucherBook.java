package dev.forage.tools.settle;

import dev.forage.identity.Address;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A provider's vouchers: the latest valid voucher of each lease, checked when it arrives and
 * redeemed in one batch. Thread-safe.
 */
public final class VoucherBook {

    private final ComputeEscrow escrow;
    private final Address provider;
    private final Clock clock;
    private final Map<Key, SignedVoucher> latest = new LinkedHashMap<>();

    private record Key(Address agent, BigInteger leaseId) {}

    /**
     * @param escrow the escrow the leases are in
     * @param provider the provider whose vouchers these are
     * @param clock the time used to refuse vouchers of expired leases
     */
    public VoucherBook(ComputeEscrow escrow, Address provider, Clock clock) {
        this.escrow = escrow;
        this.provider = provider;
        this.clock = clock;
    }

    /**
     * Checks {@code voucher} and keeps it if it is newer than the lease's latest.
     *
     * @return the increment it adds over the lease's previous voucher, base units
     * @throws SettlementException WRONG_PROVIDER, VOUCHER_WRONG_SIGNER (not signed by the
     *     lease's agent), LEASE_NOT_OPEN, VOUCHER_EXPIRED, VOUCHER_ABOVE_LOCK or
     *     VOUCHER_NOT_NEWER (a replay or an older voucher); the book is unchanged then
     */
    public synchronized BigInteger accept(SignedVoucher voucher) {
        Voucher v = voucher.voucher();
        if (!v.provider().equals(provider)) {
            throw new SettlementException(SettlementException.Reason.WRONG_PROVIDER, "voucher for lease " + v.leaseId()
                    + " pays " + v.provider() + ", not this provider " + provider, false);
        }
        Address signer = escrow.voucherSigner(voucher);
        if (!signer.equals(voucher.agent())) {
            throw new SettlementException(SettlementException.Reason.VOUCHER_WRONG_SIGNER, "voucher for lease " + v.leaseId()
                    + " claims agent " + voucher.agent() + " but was signed by " + signer + "; refuse it", false);
        }
        ComputeEscrow.LeaseState lease = escrow.lease(voucher.agent(), v.leaseId());
        if (!lease.open()) {
            throw new SettlementException(SettlementException.Reason.LEASE_NOT_OPEN, "lease " + v.leaseId() + " of "
                    + voucher.agent() + " is not open (never locked, or already closed); its vouchers pay nothing", false);
        }
        Instant now = clock.instant();
        if (!now.isBefore(lease.expiry())) {
            throw new SettlementException(SettlementException.Reason.VOUCHER_EXPIRED, "lease " + v.leaseId() + " expired at "
                    + lease.expiry() + "; its vouchers can no longer be redeemed", false);
        }
        if (v.cumulativeAmount().compareTo(lease.maxAmount()) > 0) {
            throw new SettlementException(SettlementException.Reason.VOUCHER_ABOVE_LOCK, "voucher amount " + v.cumulativeAmount()
                    + " is above lease " + v.leaseId() + "'s lock of " + lease.maxAmount(), false);
        }
        Key key = new Key(voucher.agent(), v.leaseId());
        SignedVoucher previous = latest.get(key);
        BigInteger before = BigInteger.ZERO;
        if (previous != null) {
            before = previous.voucher().cumulativeAmount();
            if (v.nonce().compareTo(previous.voucher().nonce()) <= 0 || v.cumulativeAmount().compareTo(before) < 0) {
                throw new SettlementException(SettlementException.Reason.VOUCHER_NOT_NEWER, "voucher nonce " + v.nonce()
                        + " amount " + v.cumulativeAmount() + " is not newer than the kept voucher (nonce "
                        + previous.voucher().nonce() + ", amount " + before + ") for lease " + v.leaseId(), false);
            }
        }
        latest.put(key, voucher);
        return v.cumulativeAmount().subtract(before);
    }

    /** The latest voucher of every lease, oldest lease first, grouped by agent. */
    public synchronized List<SignedVoucher> latest() {
        List<SignedVoucher> out = new ArrayList<>(latest.values());
        out.sort(Comparator.comparing((SignedVoucher s) -> s.agent().lowercase()).thenComparing(s -> s.voucher().leaseId()));
        return out;
    }

    /** How many leases have a voucher kept. */
    public synchronized int size() {
        return latest.size();
    }

    /**
     * Redeems every kept voucher in one {@code redeemBatch} transaction sent by
     * {@code providerExecutor}, exactly once for {@code key}, and forgets them.
     *
     * @throws SettlementException REVERTED if the batch reverted (then nothing was redeemed)
     */
    public Payment redeemAll(String key, PaymentExecutor providerExecutor) {
        if (!providerExecutor.payer().equals(provider)) {
            throw new SettlementException(SettlementException.Reason.WRONG_PROVIDER, "the executor pays from "
                    + providerExecutor.payer() + " but these vouchers are for " + provider, false);
        }
        List<SignedVoucher> batch = latest();
        Payment payment = providerExecutor.execute(key, "redeem " + batch.size() + " vouchers", () -> {
            if (batch.isEmpty()) {
                throw new SettlementException(SettlementException.Reason.INVALID_ARGUMENT, "no vouchers to redeem", false);
            }
            return escrow.redeemBatchRequest(batch);
        }, () -> {}, PaymentExecutor.OnChainLookup.none());
        synchronized (this) {
            for (ComputeEscrow.Redemption r : escrow.redemptions(payment.receipt())) {
                latest.remove(new Key(r.agent(), r.leaseId()));
            }
        }
        return payment;
    }
}
