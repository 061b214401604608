package dev.forage.tools.settle;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.identity.eip712.TypedData;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cumulative payment voucher for one escrow lease, as the agent signs it under EIP-712
 * {@code Voucher(uint256 leaseId,uint256 cumulativeAmount,uint256 nonce)} in the escrow's
 * domain {@value #EIP712_NAME} / {@value #EIP712_VERSION}.
 *
 * @param leaseId the lease (its id names the provider, see {@link LeaseIds})
 * @param cumulativeAmount everything owed on the lease so far, base units: each new voucher
 *     replaces the previous one, it does not add to it
 * @param nonce the voucher's number within the lease; a newer voucher has a larger nonce
 */
public record Voucher(BigInteger leaseId, BigInteger cumulativeAmount, BigInteger nonce) {

    /** The escrow's EIP-712 domain name. */
    public static final String EIP712_NAME = "ForageComputeEscrow";
    /** The escrow's EIP-712 domain version. */
    public static final String EIP712_VERSION = "1";
    /** The EIP-712 primary type. */
    public static final String PRIMARY_TYPE = "Voucher";

    private static final List<TypedData.Field> FIELDS = List.of(
            new TypedData.Field("leaseId", "uint256"),
            new TypedData.Field("cumulativeAmount", "uint256"),
            new TypedData.Field("nonce", "uint256"));

    public Voucher {
        LeaseIds.require(leaseId);
        if (cumulativeAmount == null || cumulativeAmount.signum() < 0 || cumulativeAmount.bitLength() > 96) {
            throw new IllegalArgumentException("voucher cumulativeAmount must be 0 to 2^96-1 base units, got " + cumulativeAmount);
        }
        if (nonce == null || nonce.signum() < 0 || nonce.bitLength() > 256) {
            throw new IllegalArgumentException("voucher nonce must be a uint256, got " + nonce);
        }
    }

    /** The typed data the agent signs for the escrow at {@code escrow} on {@code chain}. */
    public TypedData typedData(ChainId chain, Address escrow) {
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", EIP712_NAME);
        domain.put("version", EIP712_VERSION);
        domain.put("chainId", BigInteger.valueOf(chain.evmChainId()));
        domain.put("verifyingContract", escrow.value());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("leaseId", leaseId);
        message.put("cumulativeAmount", cumulativeAmount);
        message.put("nonce", nonce);
        return new TypedData(Map.of(PRIMARY_TYPE, FIELDS), PRIMARY_TYPE, domain, message);
    }

    /** The provider the voucher pays (encoded in the lease id). */
    public Address provider() {
        return LeaseIds.provider(leaseId);
    }
}
