package dev.forage.tools.settle;

import dev.forage.identity.Address;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * An escrow lease as it was locked.
 *
 * @param agent whose deposit it reserves (the agent key's address)
 * @param leaseId its id, which names the provider
 * @param maxAmount base units reserved
 * @param expiry when it expires: vouchers are redeemable before, refunds possible from then on
 * @param ref the caller's reference emitted with the lock (a hash of the idempotency key)
 * @param lockTx the transaction that locked it
 */
public record Lease(Address agent, BigInteger leaseId, BigInteger maxAmount, Instant expiry, String ref, String lockTx) {

    public Lease {
        Objects.requireNonNull(agent, "agent");
        LeaseIds.require(leaseId);
        Objects.requireNonNull(maxAmount, "maxAmount");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(lockTx, "lockTx");
    }

    /** The provider paid by this lease. */
    public Address provider() {
        return LeaseIds.provider(leaseId);
    }
}
