package dev.forage.tools.settle;

import dev.forage.identity.Address;
import java.math.BigInteger;
import java.time.Instant;

/**
 * An agent's escrow account as the contract reports it.
 *
 * @param open whether the account was opened
 * @param identityBound whether its owner is the owner of an ERC-8004 agent token
 * @param agentId the ERC-8004 agent id, for an identity-bound account (0 otherwise)
 * @param owner who sets the caps now (zero address when not open)
 * @param balance free deposit, base units
 * @param locked reserved by open leases, base units
 * @param caps the caps in force
 * @param periodStart when the current period started
 * @param lockedInPeriod base units locked in the current period so far
 */
public record EscrowAccount(
        boolean open,
        boolean identityBound,
        BigInteger agentId,
        Address owner,
        BigInteger balance,
        BigInteger locked,
        EscrowCaps caps,
        Instant periodStart,
        BigInteger lockedInPeriod) {}
