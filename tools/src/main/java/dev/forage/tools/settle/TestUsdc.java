package dev.forage.tools.settle;

import static dev.forage.tools.settle.Abis.addr;
import static dev.forage.tools.settle.Abis.uint;

import dev.forage.identity.Address;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.ContractArtifact;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.TxReceipt;
import java.math.BigInteger;

/**
 * The devnet stablecoin {@code TestUSDC}: an {@link Eip3009Token} with 6 decimals under USDC's
 * EIP-712 domain {@value #EIP712_NAME} / {@value #EIP712_VERSION}, deployed by the devnet and
 * the tests, whose deployer may mint.
 */
public final class TestUsdc extends Eip3009Token {

    /** The EIP-712 domain name (x402 {@code extra.name}); USDC's own on Ethereum and Base. */
    public static final String EIP712_NAME = "USD Coin";
    /** The EIP-712 domain version (x402 {@code extra.version}). */
    public static final String EIP712_VERSION = "2";
    /** Base units per token. */
    public static final int DECIMALS = 6;

    static final String ARTIFACTS = "/dev/forage/tools/contracts";

    private TestUsdc(EvmChain chain, Address address) {
        super(chain, address, new Domain(EIP712_NAME, EIP712_VERSION));
        chain.learnErrors(artifact().abi());
    }

    /** The compiled contract. */
    public static ContractArtifact artifact() {
        return ContractArtifact.load(TestUsdc.class, ARTIFACTS, "TestUSDC");
    }

    /** Deploys a new TestUSDC; {@code deployer} becomes its only minter. */
    public static TestUsdc deploy(EvmChain chain, Signer deployer) {
        try {
            return new TestUsdc(chain, artifact().deploy(chain.sender(deployer), chain, ""));
        } catch (ChainException e) {
            throw SettlementException.of("deploying TestUSDC", e);
        }
    }

    /** A client for the TestUSDC at {@code address}. */
    public static TestUsdc at(EvmChain chain, Address address) {
        return new TestUsdc(chain, address);
    }

    /** Mints {@code amount} base units to {@code to}; only the deployer may. */
    public TxReceipt mint(Signer minter, Address to, BigInteger amount) {
        return send(minter, Abi.encodeCall("mint(address,uint256)", addr(to), uint(amount)), "minting " + amount + " to " + to);
    }
}
