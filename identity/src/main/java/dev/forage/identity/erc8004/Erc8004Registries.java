package dev.forage.identity.erc8004;

import dev.forage.identity.Address;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.ContractArtifact;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.TransactionSender;
import org.web3j.abi.datatypes.DynamicBytes;

/**
 * The three ERC-8004 registries of one chain, and their deployment on a local chain: each
 * implementation behind an ERC-1967 proxy, as the reference deployment is.
 *
 * @param identity the Identity Registry (proxy) address
 * @param reputation the Reputation Registry (proxy) address
 * @param validation the Validation Registry (proxy) address
 */
public record Erc8004Registries(Address identity, Address reputation, Address validation) {

    static final String ARTIFACTS = "/dev/forage/identity/contracts";

    /**
     * Deploys the three registries from {@code deployer}, who becomes their owner (the upgrade
     * authority), and initialises them.
     */
    public static Erc8004Registries deploy(EvmChain chain, Signer deployer) {
        TransactionSender sender = chain.sender(deployer);
        Address identity = deployBehindProxy(chain, sender, "IdentityRegistry", Abi.encodeCall("initialize()"));
        String init = Abi.encodeCall("initialize(address)", new org.web3j.abi.datatypes.Address(identity.value()));
        Address reputation = deployBehindProxy(chain, sender, "ReputationRegistry", init);
        Address validation = deployBehindProxy(chain, sender, "ValidationRegistry", init);
        return new Erc8004Registries(identity, reputation, validation);
    }

    private static Address deployBehindProxy(EvmChain chain, TransactionSender sender, String name, String initCall) {
        ContractArtifact implementation = ContractArtifact.load(Erc8004Registries.class, ARTIFACTS, name);
        Address impl = implementation.deploy(sender, chain, "");
        ContractArtifact proxy = ContractArtifact.load(Erc8004Registries.class, ARTIFACTS, "ERC1967Proxy");
        return proxy.deploy(sender, chain, Abi.encodeArguments(new org.web3j.abi.datatypes.Address(impl.value()),
                new DynamicBytes(org.web3j.utils.Numeric.hexStringToByteArray(initCall))));
    }

    /** A client for the Identity Registry. */
    public IdentityRegistry identityRegistry(EvmChain chain) {
        return IdentityRegistry.at(chain, identity);
    }

    /** A client for the Reputation Registry. */
    public ReputationRegistry reputationRegistry(EvmChain chain) {
        return ReputationRegistry.at(chain, reputation);
    }

    /** A client for the Validation Registry. */
    public ValidationRegistry validationRegistry(EvmChain chain) {
        return ValidationRegistry.at(chain, validation);
    }
}
