package dev.forage.tools.settle;

import dev.forage.identity.Signer;
import dev.forage.identity.devchain.Anvil;
import java.math.BigInteger;
import java.time.Duration;
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

    static BigInteger usdc(long tokens) {
        return BigInteger.valueOf(tokens).multiply(USDC);
    }
}
