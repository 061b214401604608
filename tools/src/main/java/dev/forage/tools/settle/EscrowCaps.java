package dev.forage.tools.settle;

import java.math.BigInteger;
import java.time.Duration;

/**
 * The caps an agent's owner sets on its escrow account.
 *
 * @param maxPerLease the most one lease may lock, base units; 0 stops new locks
 * @param maxPerPeriod the most that may be locked per period, base units
 * @param period the period's length; periods follow each other back to back from the first
 *     {@code setCaps}
 */
public record EscrowCaps(BigInteger maxPerLease, BigInteger maxPerPeriod, Duration period) {

    public EscrowCaps {
        if (maxPerLease == null || maxPerLease.signum() < 0 || maxPerLease.bitLength() > 128) {
            throw new IllegalArgumentException("maxPerLease must be 0 to 2^128-1 base units, got " + maxPerLease);
        }
        if (maxPerPeriod == null || maxPerPeriod.signum() < 0 || maxPerPeriod.bitLength() > 128) {
            throw new IllegalArgumentException("maxPerPeriod must be 0 to 2^128-1 base units, got " + maxPerPeriod);
        }
        if (period == null || period.isNegative() || period.toSeconds() > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("period must be zero or positive, got " + period);
        }
        if (maxPerLease.signum() > 0 && (period.toSeconds() == 0 || maxPerPeriod.compareTo(maxPerLease) < 0)) {
            throw new IllegalArgumentException("with maxPerLease " + maxPerLease + " the period (" + period
                    + ") must be at least a second and maxPerPeriod (" + maxPerPeriod + ") at least maxPerLease");
        }
    }

    /** Caps that stop all new locks. */
    public static EscrowCaps frozen() {
        return new EscrowCaps(BigInteger.ZERO, BigInteger.ZERO, Duration.ZERO);
    }
}
