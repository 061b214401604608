package dev.forage.tools.settle;

import static dev.forage.tools.settle.Abis.addr;
import static dev.forage.tools.settle.Abis.bytes32;
import static dev.forage.tools.settle.Abis.uint;
import static dev.forage.tools.settle.Abis.uint8;

import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.chain.TxRequest;
import dev.forage.identity.eip712.TypedData;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.datatypes.DynamicBytes;

/**
 * Client of an ERC-20 stablecoin with EIP-2612 permits and EIP-3009 authorizations (USDC and
 * tokens like it), under its EIP-712 domain (name and version, as x402's {@code extra} names
 * them). Settlement and x402 use this type; {@link TestUsdc} is the devnet's own such token.
 */
public sealed class Eip3009Token permits TestUsdc {

    /**
     * A token's EIP-712 domain name and version.
     *
     * @param name e.g. {@code USD Coin}
     * @param version e.g. {@code 2}
     */
    public record Domain(String name, String version) {
        public Domain {
            if (name == null || name.isBlank() || version == null || version.isBlank()) {
                throw new IllegalArgumentException("an EIP-712 domain needs a name and a version, got '" + name + "' / '"
                        + version + "'");
            }
        }

        /** USDC's domain on Ethereum, Base and most chains: "USD Coin", "2". */
        public static Domain usdc() {
            return new Domain("USD Coin", "2");
        }
    }

    /** {@code Transfer(address,address,uint256)}. */
    public static final String TRANSFER_TOPIC = Abi.topic("Transfer(address,address,uint256)");
    /** {@code AuthorizationUsed(address,bytes32)}. */
    public static final String AUTHORIZATION_USED_TOPIC = Abi.topic("AuthorizationUsed(address,bytes32)");

    private final EvmChain chain;
    private final Address address;
    private final Domain domain;

    Eip3009Token(EvmChain chain, Address address, Domain domain) {
        this.chain = java.util.Objects.requireNonNull(chain, "chain");
        this.address = java.util.Objects.requireNonNull(address, "address");
        this.domain = java.util.Objects.requireNonNull(domain, "domain");
    }

    /** A client for the token at {@code address} with EIP-712 domain {@code domain}. */
    public static Eip3009Token at(EvmChain chain, Address address, Domain domain) {
        return new Eip3009Token(chain, address, domain);
    }

    /** The token's EIP-712 domain name and version. */
    public Domain eip712Domain() {
        return domain;
    }

    /** The token contract. */
    public Address address() {
        return address;
    }

    /** The chain. */
    public EvmChain chain() {
        return chain;
    }

    /** The balance of {@code owner} in base units. */
    public BigInteger balanceOf(Address owner) {
        return Abis.number(call(Abi.encodeCall("balanceOf(address)", addr(owner)), "uint256").get(0));
    }

    /** The total supply in base units. */
    public BigInteger totalSupply() {
        return Abis.number(call(Abi.encodeCall("totalSupply()"), "uint256").get(0));
    }

    /** The allowance {@code owner} gave {@code spender}. */
    public BigInteger allowance(Address owner, Address spender) {
        return Abis.number(call(Abi.encodeCall("allowance(address,address)", addr(owner), addr(spender)), "uint256").get(0));
    }

    /** The calldata of {@code transfer(to, amount)}. */
    public TxRequest transferRequest(Address to, BigInteger amount) {
        return TxRequest.call(address, Abi.encodeCall("transfer(address,uint256)", addr(to), uint(amount)));
    }

    /** Transfers directly (no idempotency); use {@link SettlementClient#transfer} for payments. */
    public TxReceipt transfer(Signer from, Address to, BigInteger amount) {
        return send(from, transferRequest(to, amount).data(), "transferring " + amount + " to " + to);
    }

    /** Approves {@code spender} for {@code amount}. */
    public TxReceipt approve(Signer owner, Address spender, BigInteger amount) {
        return send(owner, Abi.encodeCall("approve(address,uint256)", addr(spender), uint(amount)), "approving " + spender);
    }

    /** Whether {@code authorizer} has used or canceled the EIP-3009 {@code nonce}. */
    public boolean authorizationState(Address authorizer, String nonce) {
        return Abis.bool(call(Abi.encodeCall("authorizationState(address,bytes32)", addr(authorizer),
                bytes32(TransferAuthorization.normalizeNonce(nonce))), "bool").get(0));
    }

    /** The EIP-2612 nonce of {@code owner}. */
    public BigInteger permitNonce(Address owner) {
        return Abis.number(call(Abi.encodeCall("nonces(address)", addr(owner)), "uint256").get(0));
    }

    /** Signs an EIP-3009 {@code TransferWithAuthorization} for this token. */
    public Signature signAuthorization(Signer from, TransferAuthorization authorization) {
        requireSigner(from, authorization.from());
        return from.signTypedData(authorization.typedData(domain.name(), domain.version(), chain.chainId(), address));
    }

    /** Signs an EIP-3009 {@code ReceiveWithAuthorization} (only {@code to} may submit it). */
    public Signature signReceiveAuthorization(Signer from, TransferAuthorization authorization) {
        requireSigner(from, authorization.from());
        return from.signTypedData(authorization.receiveTypedData(domain.name(), domain.version(), chain.chainId(), address));
    }

    /** The calldata of {@code transferWithAuthorization(..., v, r, s)}. */
    public TxRequest transferWithAuthorizationRequest(TransferAuthorization a, Signature signature) {
        return TxRequest.call(address, Abi.encodeCall(
                "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
                addr(a.from()), addr(a.to()), uint(a.value()), uint(a.validAfter()), uint(a.validBefore()),
                bytes32(a.nonce()), uint8(signature.v()), bytes32(org.web3j.utils.Numeric.toBytesPadded(signature.r(), 32)),
                bytes32(org.web3j.utils.Numeric.toBytesPadded(signature.s(), 32))));
    }

    /** The calldata of {@code transferWithAuthorization(..., bytes signature)}. */
    public TxRequest transferWithAuthorizationRequest(TransferAuthorization a, byte[] signature) {
        return TxRequest.call(address, Abi.encodeCall(
                "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)",
                addr(a.from()), addr(a.to()), uint(a.value()), uint(a.validAfter()), uint(a.validBefore()),
                bytes32(a.nonce()), new DynamicBytes(signature)));
    }

    /** The calldata of {@code receiveWithAuthorization(..., v, r, s)}; only {@code a.to()} may send it. */
    public TxRequest receiveWithAuthorizationRequest(TransferAuthorization a, Signature signature) {
        return TxRequest.call(address, Abi.encodeCall(
                "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
                addr(a.from()), addr(a.to()), uint(a.value()), uint(a.validAfter()), uint(a.validBefore()),
                bytes32(a.nonce()), uint8(signature.v()), bytes32(org.web3j.utils.Numeric.toBytesPadded(signature.r(), 32)),
                bytes32(org.web3j.utils.Numeric.toBytesPadded(signature.s(), 32))));
    }

    /** Signs the EIP-3009 {@code CancelAuthorization} for {@code nonce}. */
    public Signature signCancelAuthorization(Signer authorizer, String nonce) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("authorizer", authorizer.address().value());
        message.put("nonce", TransferAuthorization.normalizeNonce(nonce));
        return authorizer.signTypedData(new TypedData(
                Map.of("CancelAuthorization", List.of(new TypedData.Field("authorizer", "address"),
                        new TypedData.Field("nonce", "bytes32"))),
                "CancelAuthorization", domain(), message));
    }

    /** The calldata of {@code cancelAuthorization(authorizer, nonce, v, r, s)}. */
    public TxRequest cancelAuthorizationRequest(Address authorizer, String nonce, Signature signature) {
        return TxRequest.call(address, Abi.encodeCall("cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)",
                addr(authorizer), bytes32(TransferAuthorization.normalizeNonce(nonce)), uint8(signature.v()),
                bytes32(org.web3j.utils.Numeric.toBytesPadded(signature.r(), 32)),
                bytes32(org.web3j.utils.Numeric.toBytesPadded(signature.s(), 32))));
    }

    /**
     * Signs an EIP-2612 permit letting {@code spender} take {@code value} from {@code owner}
     * until {@code deadline} (unix seconds), with the owner's current permit nonce.
     */
    public Signature signPermit(Signer owner, Address spender, BigInteger value, BigInteger deadline) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("owner", owner.address().value());
        message.put("spender", spender.value());
        message.put("value", value);
        message.put("nonce", permitNonce(owner.address()));
        message.put("deadline", deadline);
        return owner.signTypedData(new TypedData(
                Map.of("Permit", List.of(new TypedData.Field("owner", "address"), new TypedData.Field("spender", "address"),
                        new TypedData.Field("value", "uint256"), new TypedData.Field("nonce", "uint256"),
                        new TypedData.Field("deadline", "uint256"))),
                "Permit", domain(), message));
    }

    /** The EIP-712 domain of this token. */
    public Map<String, Object> domain() {
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", this.domain.name());
        domain.put("version", this.domain.version());
        domain.put("chainId", BigInteger.valueOf(chain.chainId().evmChainId()));
        domain.put("verifyingContract", address.value());
        return domain;
    }

    /** The domain separator the contract reports. */
    public byte[] domainSeparator() {
        return (byte[]) call(Abi.encodeCall("DOMAIN_SEPARATOR()"), "bytes32").get(0).getValue();
    }

    /** The tx hash of the transaction that used {@code authorizer}'s EIP-3009 {@code nonce}, if any. */
    public java.util.Optional<String> authorizationUsedIn(Address authorizer, String nonce) {
        return Abis.logs(chain, address, AUTHORIZATION_USED_TOPIC, Abis.topic(authorizer),
                        TransferAuthorization.normalizeNonce(nonce)).stream()
                .map(Abis.Log::txHash).findFirst();
    }

    private static void requireSigner(Signer signer, Address expected) {
        if (!signer.address().equals(expected)) {
            throw new SettlementException(SettlementException.Reason.INVALID_ARGUMENT, "the authorization is from "
                    + expected + " but the signer is " + signer.address() + "; sign with the payer's key", false);
        }
    }

    TxReceipt send(Signer from, String data, String what) {
        try {
            return chain.sender(from).sendAndWait(TxRequest.call(address, data));
        } catch (ChainException e) {
            throw SettlementException.of(what + " on token " + address, e);
        }
    }

    @SuppressWarnings("rawtypes")
    private List<org.web3j.abi.datatypes.Type> call(String data, String... outputs) {
        try {
            return Abi.decode(chain.call(address, data), outputs);
        } catch (ChainException e) {
            throw SettlementException.of("reading token " + address, e);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + address + " (" + domain.name() + " v" + domain.version() + ") on "
                + chain.chainId() + "]";
    }
}
