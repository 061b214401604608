package dev.forage.tools.x402;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * One way to pay that a resource server accepts: an entry of {@code accepts}. In v2 the amount
 * is {@code amount} and the network a CAIP-2 id; in v1 the amount is
 * {@code maxAmountRequired}, the network a name, and the entry also carries the resource's
 * {@code resource} URL, {@code description}, {@code mimeType} and {@code outputSchema}.
 *
 * @param scheme the payment scheme, e.g. {@code exact}
 * @param network the network as written ({@code eip155:84532} in v2, {@code base-sepolia} in v1)
 * @param amount base units ({@code amount} in v2, {@code maxAmountRequired} in v1)
 * @param asset the token contract address as written
 * @param payTo the payee address as written
 * @param maxTimeoutSeconds the longest the payment may take
 * @param extra scheme-specific data; for {@code exact} on EVM, the token's EIP-712
 *     {@code name} and {@code version}; an empty object when absent
 * @param resource v1 only: the resource URL
 * @param description v1 only: its description
 * @param mimeType v1 only: its media type
 * @param outputSchema v1 only: the response's JSON schema
 * @param raw the object exactly as received (or as it will be sent), which a v2 client echoes
 *     as {@code accepted}
 */
public record PaymentRequirements(
        String scheme,
        String network,
        BigInteger amount,
        String asset,
        String payTo,
        long maxTimeoutSeconds,
        ObjectNode extra,
        Optional<String> resource,
        Optional<String> description,
        Optional<String> mimeType,
        Optional<JsonNode> outputSchema,
        ObjectNode raw) {

    public PaymentRequirements {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(network, "network");
        if (amount == null || amount.signum() < 0) {
            throw new IllegalArgumentException("payment requirement amount must be zero or more base units, got " + amount);
        }
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(payTo, "payTo");
        if (maxTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("maxTimeoutSeconds must be positive, got " + maxTimeoutSeconds);
        }
        extra = extra == null ? JsonNodeFactory.instance.objectNode() : extra.deepCopy();
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(outputSchema, "outputSchema");
        raw = Objects.requireNonNull(raw, "raw").deepCopy();
    }

    /**
     * A v2 requirement for the {@code exact} scheme on EVM, with the token's EIP-712 domain in
     * {@code extra}.
     */
    public static PaymentRequirements exactV2(String network, BigInteger amount, String asset, String payTo,
            long maxTimeoutSeconds, String tokenName, String tokenVersion) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode().put("name", tokenName).put("version", tokenVersion);
        return X402Codec.requirements(2, "exact", network, amount, asset, payTo, maxTimeoutSeconds, extra,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A v1 requirement for {@code exact}: as {@link #exactV2} plus the v1 resource fields. */
    public static PaymentRequirements exactV1(String network, BigInteger amount, String asset, String payTo,
            long maxTimeoutSeconds, String tokenName, String tokenVersion, String resourceUrl, String description) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode().put("name", tokenName).put("version", tokenVersion);
        return X402Codec.requirements(1, "exact", network, amount, asset, payTo, maxTimeoutSeconds, extra,
                Optional.of(resourceUrl), Optional.of(description), Optional.of("application/json"));
    }

    /** The token's EIP-712 domain name from {@code extra.name}, if given. */
    public Optional<String> tokenName() {
        JsonNode n = extra.get("name");
        return n != null && n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
    }

    /** The token's EIP-712 domain version from {@code extra.version}, if given. */
    public Optional<String> tokenVersion() {
        JsonNode n = extra.get("version");
        return n != null && n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
    }

    /** Whether {@code other} asks for the same payment: scheme, network, amount, asset and payee. */
    public boolean samePaymentAs(PaymentRequirements other) {
        return scheme.equals(other.scheme) && network.equals(other.network) && amount.equals(other.amount)
                && asset.equalsIgnoreCase(other.asset) && payTo.equalsIgnoreCase(other.payTo);
    }
}
