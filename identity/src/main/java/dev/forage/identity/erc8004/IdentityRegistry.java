package dev.forage.identity.erc8004;

import dev.forage.identity.Address;
import dev.forage.identity.AgentId;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.eip712.TypedData;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Utf8String;

/**
 * Client of an ERC-8004 Identity Registry: agents as ERC-721 tokens with a URI, bytes
 * metadata, and a verified agent wallet.
 */
public final class IdentityRegistry extends RegistryClient {

    /** The reserved metadata key holding the agent's wallet. */
    public static final String AGENT_WALLET_KEY = "agentWallet";

    /** The EIP-712 domain name the registry verifies wallet proofs under. */
    public static final String EIP712_NAME = "ERC8004IdentityRegistry";

    /** The EIP-712 domain version. */
    public static final String EIP712_VERSION = "1";

    /** The longest a wallet proof may be valid for, as the registry enforces. */
    public static final Duration MAX_WALLET_PROOF_VALIDITY = Duration.ofMinutes(5);

    static final String REGISTERED = Abi.topic("Registered(uint256,string,address)");

    /**
     * One metadata entry for {@link #register(Signer, String, List)}.
     *
     * @param key the metadata key (not {@value #AGENT_WALLET_KEY})
     * @param value its bytes
     */
    public record Metadata(String key, byte[] value) {
        public Metadata {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("metadata key must not be empty");
            }
            value = value.clone();
        }

        /** A UTF-8 text value. */
        public static Metadata text(String key, String value) {
            return new Metadata(key, value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Metadata m && key.equals(m.key) && Arrays.equals(value, m.value);
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Metadata[" + key + "=" + org.web3j.utils.Numeric.toHexString(value) + "]";
        }
    }

    /**
     * A registration as the {@code Registered} event reports it.
     *
     * @param id the agent's global id
     * @param agentUri the URI it was registered with (empty for none)
     * @param owner the owner of the new agent token
     * @param txHash the registering transaction
     */
    public record Registration(AgentId id, String agentUri, Address owner, String txHash) {}

    /** The ABI tuple {@code (string metadataKey, bytes metadataValue)}. */
    public static final class MetadataEntry extends DynamicStruct {
        public MetadataEntry(Metadata m) {
            super(new Utf8String(m.key()), new DynamicBytes(m.value()));
        }
    }

    private IdentityRegistry(EvmChain chain, Address address) {
        super(chain, address, "IdentityRegistry");
    }

    /**
     * A client for the registry at {@code address}; from now on {@code chain} decodes the
     * registry's custom errors in reverts by name.
     */
    public static IdentityRegistry at(EvmChain chain, Address address) {
        return new IdentityRegistry(chain, address);
    }

    /** The global id of agent {@code agentId} in this registry. */
    public AgentId agentId(BigInteger agentId) {
        return AgentId.of(chain.chainId(), address, agentId);
    }

    /** Registers a new agent without a URI; the caller becomes its owner. */
    public Registration register(Signer owner) {
        return registration(send(owner, Abi.encodeCall("register()")));
    }

    /** Registers a new agent with a URI pointing to its registration file. */
    public Registration register(Signer owner, String agentUri) {
        return registration(send(owner, Abi.encodeCall("register(string)", new Utf8String(agentUri))));
    }

    /** Registers a new agent with a URI and initial metadata. */
    public Registration register(Signer owner, String agentUri, List<Metadata> metadata) {
        DynamicArray<MetadataEntry> entries = new DynamicArray<>(MetadataEntry.class,
                metadata.stream().map(MetadataEntry::new).toList());
        return registration(send(owner, Abi.encodeCall("register(string,(string,bytes)[])", new Utf8String(agentUri), entries)));
    }

    private Registration registration(TxReceipt receipt) {
        TxReceipt.Log log = receipt.logs(address, REGISTERED).stream().findFirst().orElseThrow(() ->
                new IllegalStateException("registration " + receipt.txHash() + " emitted no Registered event at " + address
                        + "; is this an ERC-8004 Identity Registry?"));
        BigInteger id = (BigInteger) Abi.decodeTopic(log.topics().get(1), "uint256").getValue();
        Address owner = Address.parse((String) Abi.decodeTopic(log.topics().get(2), "address").getValue());
        String uri = text(Abi.decode(log.data(), "string").get(0));
        return new Registration(agentId(id), uri, owner, receipt.txHash());
    }

    /** Points agent {@code agentId} to a new URI (owner or approved operator only). */
    public TxReceipt setAgentUri(Signer owner, BigInteger agentId, String newUri) {
        return send(owner, Abi.encodeCall("setAgentURI(uint256,string)", uint(agentId), new Utf8String(newUri)));
    }

    /** The agent's URI ({@code tokenURI}). */
    public String agentUri(BigInteger agentId) {
        return text(call(Abi.encodeCall("tokenURI(uint256)", uint(agentId)), "string").get(0));
    }

    /** The agent token's owner. */
    public Address ownerOf(BigInteger agentId) {
        return address(call(Abi.encodeCall("ownerOf(uint256)", uint(agentId)), "address").get(0));
    }

    /**
     * Whether {@code spender} may manage agent {@code agentId}: it is the owner, an operator
     * approved for all of the owner's agents, or the account approved for this agent
     * ({@code isAuthorizedOrOwner}, as in the reference registry v2.0.0). The reference
     * ReputationRegistry refuses feedback from exactly these accounts.
     *
     * @throws dev.forage.identity.chain.ChainException REVERTED with
     *     {@code ERC721NonexistentToken} if the agent does not exist
     */
    public boolean isAuthorizedOrOwner(Address spender, BigInteger agentId) {
        return (Boolean) call(Abi.encodeCall("isAuthorizedOrOwner(address,uint256)", addr(spender), uint(agentId)), "bool")
                .get(0).getValue();
    }

    /** Sets a metadata value (owner or approved operator only; not {@value #AGENT_WALLET_KEY}). */
    public TxReceipt setMetadata(Signer owner, BigInteger agentId, String key, byte[] value) {
        return send(owner, Abi.encodeCall("setMetadata(uint256,string,bytes)", uint(agentId), new Utf8String(key),
                new DynamicBytes(value)));
    }

    /** A metadata value; empty bytes when unset. */
    public byte[] metadata(BigInteger agentId, String key) {
        return bytes(call(Abi.encodeCall("getMetadata(uint256,string)", uint(agentId), new Utf8String(key)), "bytes").get(0));
    }

    /** The agent's verified wallet, if one is set. */
    public Optional<Address> agentWallet(BigInteger agentId) {
        Address wallet = address(call(Abi.encodeCall("getAgentWallet(uint256)", uint(agentId)), "address").get(0));
        return wallet.equals(Address.ZERO) ? Optional.empty() : Optional.of(wallet);
    }

    /**
     * The EIP-712 message a new wallet signs to prove it consents to become agent
     * {@code agentId}'s wallet: {@code AgentWalletSet(uint256 agentId,address newWallet,address
     * owner,uint256 deadline)} under the registry's domain.
     */
    public TypedData walletProof(BigInteger agentId, Address newWallet, Address owner, BigInteger deadline) {
        return new TypedData(
                Map.of("AgentWalletSet", List.of(
                        new TypedData.Field("agentId", "uint256"),
                        new TypedData.Field("newWallet", "address"),
                        new TypedData.Field("owner", "address"),
                        new TypedData.Field("deadline", "uint256"))),
                "AgentWalletSet",
                Map.of("name", EIP712_NAME, "version", EIP712_VERSION,
                        "chainId", BigInteger.valueOf(chain.chainId().evmChainId()), "verifyingContract", address.value()),
                Map.of("agentId", agentId, "newWallet", newWallet.value(), "owner", owner.value(), "deadline", deadline));
    }

    /**
     * Sets the agent's wallet to {@code newWallet}'s address: the new wallet signs the proof,
     * valid for {@code validity} (at most five minutes) from the chain's latest block time,
     * and the owner sends it.
     */
    public TxReceipt setAgentWallet(Signer owner, BigInteger agentId, Signer newWallet, Duration validity) {
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_WALLET_PROOF_VALIDITY) > 0) {
            throw new IllegalArgumentException("wallet proof validity " + validity + " must be positive and at most "
                    + MAX_WALLET_PROOF_VALIDITY + ", as the registry enforces");
        }
        BigInteger deadline = BigInteger.valueOf(chain.latestBlockTime().plus(validity).getEpochSecond());
        Address currentOwner = ownerOf(agentId);
        Signature proof = newWallet.signTypedData(walletProof(agentId, newWallet.address(), currentOwner, deadline));
        return setAgentWallet(owner, agentId, newWallet.address(), deadline, proof.bytes());
    }

    /** Sets the agent's wallet with a proof signed elsewhere (ECDSA, or ERC-1271 bytes). */
    public TxReceipt setAgentWallet(Signer owner, BigInteger agentId, Address newWallet, BigInteger deadline, byte[] signature) {
        return send(owner, Abi.encodeCall("setAgentWallet(uint256,address,uint256,bytes)", uint(agentId), addr(newWallet),
                uint(deadline), new DynamicBytes(signature)));
    }

    /** Clears the agent's wallet. */
    public TxReceipt unsetAgentWallet(Signer owner, BigInteger agentId) {
        return send(owner, Abi.encodeCall("unsetAgentWallet(uint256)", uint(agentId)));
    }

    /** Transfers the agent token ({@code transferFrom}); the registry clears the agent wallet. */
    public TxReceipt transfer(Signer owner, Address to, BigInteger agentId) {
        return send(owner, Abi.encodeCall("transferFrom(address,address,uint256)", addr(owner.address()), addr(to), uint(agentId)));
    }

    /** Lets {@code operator} manage all of {@code owner}'s agents ({@code setApprovalForAll}). */
    public TxReceipt setOperator(Signer owner, Address operator, boolean approved) {
        return send(owner, Abi.encodeCall("setApprovalForAll(address,bool)", addr(operator),
                new org.web3j.abi.datatypes.Bool(approved)));
    }

    /** The implementation's version string. */
    public String version() {
        return text(call(Abi.encodeCall("getVersion()"), "string").get(0));
    }
}
