package dev.forage.tools.settle;

import dev.forage.identity.Signer;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.TxRequest;
import dev.forage.identity.devchain.Anvil;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A deployed TestUSDC and ComputeEscrow on an Anvil node, with a funded agent whose escrow
 * account is owned by a separate operator key, and a provider.
 */
final class SettlementFixture {

    static final BigInteger USDC = BigInteger.TEN.pow(TestUsdc.DECIMALS);

    final Anvil anvil;
    final Signer deployer;
    final Signer agent;
    final Signer operator;
    final Signer provider;
    final TestUsdc usdc;
    final ComputeEscrow escrow;

    SettlementFixture(Anvil anvil) {
        this.anvil = anvil;
        this.deployer = anvil.fundedAccount(100);
        this.agent = anvil.fundedAccount(100);
        this.operator = anvil.fundedAccount(100);
        this.provider = anvil.fundedAccount(100);
        this.usdc = TestUsdc.deploy(anvil.chain(), deployer);
        this.escrow = ComputeEscrow.deploy(anvil.chain(), deployer, usdc.address(), Optional.empty());
    }

    /** Mints {@code tokens} whole USDC to the agent. */
    SettlementFixture fundAgent(long tokens) {
        usdc.mint(deployer, agent.address(), usdc(tokens));
        return this;
    }

    /** Opens the agent's account owned by the operator and sets generous caps. */
    SettlementFixture openAccount(long perLeaseTokens, long perPeriodTokens, Duration period) {
        escrow.openAccount(agent, operator.address());
        escrow.setCaps(operator, agent.address(), new EscrowCaps(usdc(perLeaseTokens), usdc(perPeriodTokens), period));
        return this;
    }

    /** Deposits {@code tokens} whole USDC from the agent (approve + deposit). */
    SettlementFixture deposit(long tokens) {
        usdc.approve(agent, escrow.address(), usdc(tokens));
        anvil.chain().sender(agent).sendAndWait(escrow.depositRequest(usdc(tokens)));
        return this;
    }

    /**
     * Sends {@code request} from {@code from} with a fixed gas limit, so that a reverting call
     * is mined, and returns the name of the custom error it reverted with.
     */
    String revertOf(Signer from, TxRequest request) {
        try {
            anvil.chain().sender(from).sendAndWait(request.withGasLimit(2_000_000));
        } catch (ChainException e) {
            return e.revert().map(r -> r.name()).orElse("(no reason: " + e.getMessage() + ")");
        }
        throw new AssertionError("expected " + request + " from " + from.address() + " to revert");
    }

    /** Locks {@code tokens} whole USDC for the provider until {@code expiry}, straight from the agent key. */
    Lease lock(long tokens, Instant expiry, String ref) {
        return escrow.leaseLocked(anvil.chain().sender(agent).sendAndWait(
                escrow.lockRequest(provider.address(), usdc(tokens), expiry, SettlementClient.refOf(ref))));
    }

    /** The chain's time plus {@code d}. */
    Instant inChainTime(Duration d) {
        return anvil.chain().latestBlockTime().plus(d);
    }

    static BigInteger usdc(long tokens) {
        return BigInteger.valueOf(tokens).multiply(USDC);
    }
}
