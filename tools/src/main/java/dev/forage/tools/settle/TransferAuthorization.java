package dev.forage.tools.settle;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.identity.eip712.TypedData;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The EIP-3009 {@code TransferWithAuthorization} message: {@code from} lets anyone move
 * {@code value} base units to {@code to} once, between {@code validAfter} and
 * {@code validBefore} (unix seconds, both exclusive), under a 32-byte {@code nonce} the token
 * marks as used.
 *
 * @param from the payer
 * @param to the payee
 * @param value base units
 * @param validAfter valid only after this time (unix seconds)
 * @param validBefore valid only before this time (unix seconds)
 * @param nonce 32 bytes as {@code 0x} and 64 lowercase hex digits
 */
public record TransferAuthorization(
        Address from, Address to, BigInteger value, BigInteger validAfter, BigInteger validBefore, String nonce) {

    /** The EIP-712 primary type. */
    public static final String PRIMARY_TYPE = "TransferWithAuthorization";

    /** The fields of {@code TransferWithAuthorization}, in order, as EIP-3009 defines them. */
    public static final List<TypedData.Field> FIELDS = List.of(
            new TypedData.Field("from", "address"),
            new TypedData.Field("to", "address"),
            new TypedData.Field("value", "uint256"),
            new TypedData.Field("validAfter", "uint256"),
            new TypedData.Field("validBefore", "uint256"),
            new TypedData.Field("nonce", "bytes32"));

    private static final BigInteger UINT256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    public TransferAuthorization {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        requireUint("value", value);
        requireUint("validAfter", validAfter);
        requireUint("validBefore", validBefore);
        if (validBefore.compareTo(validAfter) <= 0) {
            throw new IllegalArgumentException("authorization validBefore " + validBefore
                    + " must be after validAfter " + validAfter);
        }
        nonce = normalizeNonce(nonce);
    }

    /**
     * A nonce derived from an idempotency key: {@code keccak256("forage.eip3009:" || key)}.
     * It looks random to everyone else, and the same key always gives the same nonce, so the
     * token can execute at most one authorization per key: a replay is impossible by
     * construction.
     */
    public static String nonceFor(String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return Numeric.toHexString(Hash.sha3(("forage.eip3009:" + idempotencyKey).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The typed data to sign for a token's EIP-712 domain.
     *
     * @param tokenName the token's EIP-712 domain name (x402 {@code extra.name})
     * @param tokenVersion its domain version (x402 {@code extra.version})
     * @param chain the chain the token lives on
     * @param token the token contract (the domain's verifying contract)
     */
    public TypedData typedData(String tokenName, String tokenVersion, ChainId chain, Address token) {
        return typedData(PRIMARY_TYPE, tokenName, tokenVersion, chain, token);
    }

    /** As {@link #typedData}, for EIP-3009 {@code ReceiveWithAuthorization} (payee-submitted). */
    public TypedData receiveTypedData(String tokenName, String tokenVersion, ChainId chain, Address token) {
        return typedData("ReceiveWithAuthorization", tokenName, tokenVersion, chain, token);
    }

    private TypedData typedData(String primaryType, String tokenName, String tokenVersion, ChainId chain, Address token) {
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", tokenName);
        domain.put("version", tokenVersion);
        domain.put("chainId", BigInteger.valueOf(chain.evmChainId()));
        domain.put("verifyingContract", token.value());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("from", from.value());
        message.put("to", to.value());
        message.put("value", value);
        message.put("validAfter", validAfter);
        message.put("validBefore", validBefore);
        message.put("nonce", nonce);
        return new TypedData(Map.of(primaryType, FIELDS), primaryType, domain, message);
    }

    /** The nonce as 32 bytes. */
    public byte[] nonceBytes() {
        return Numeric.hexStringToByteArray(nonce);
    }

    private static void requireUint(String name, BigInteger n) {
        if (n == null || n.signum() < 0 || n.compareTo(UINT256_MAX) > 0) {
            throw new IllegalArgumentException("authorization " + name + " must be a uint256, got " + n);
        }
    }

    static String normalizeNonce(String nonce) {
        if (nonce == null || !nonce.matches("0[xX][0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("authorization nonce " + (nonce == null ? "(none)" : "'" + nonce + "'")
                    + " must be 0x followed by 64 hex digits (32 bytes)");
        }
        return "0x" + nonce.substring(2).toLowerCase(Locale.ROOT);
    }
}
