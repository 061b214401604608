package dev.forage.tools.settle;

import dev.forage.identity.Address;
import java.math.BigInteger;

/**
 * Escrow lease ids: {@code uint256(uint160(provider)) << 64 | n}, where {@code n} counts the
 * agent's leases with that provider from 0. A lease is named by its agent and its id.
 */
public final class LeaseIds {

    private static final BigInteger MASK_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private LeaseIds() {}

    /** The id of lease {@code n} with {@code provider}. */
    public static BigInteger of(Address provider, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("lease number must not be negative, got " + n);
        }
        return new BigInteger(1, provider.bytes()).shiftLeft(64).or(BigInteger.valueOf(n));
    }

    /** The provider a lease id names. */
    public static Address provider(BigInteger leaseId) {
        require(leaseId);
        byte[] b = org.web3j.utils.Numeric.toBytesPadded(leaseId.shiftRight(64), 20);
        return Address.of(b);
    }

    /** The lease's number among the agent's leases with its provider. */
    public static long number(BigInteger leaseId) {
        require(leaseId);
        return leaseId.and(MASK_64).longValue();
    }

    static void require(BigInteger leaseId) {
        if (leaseId == null || leaseId.signum() < 0 || leaseId.bitLength() > 224) {
            throw new IllegalArgumentException("lease id " + leaseId
                    + " is not an escrow lease id (provider << 64 | n, at most 224 bits)");
        }
    }
}
