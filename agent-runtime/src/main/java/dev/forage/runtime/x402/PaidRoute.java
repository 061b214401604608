package dev.forage.runtime.x402;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.tools.x402.PaymentRequirements;
import dev.forage.tools.x402.X402Networks;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The price of a route: what its 402 offers, in x402 {@code exact} on one EVM chain.
 *
 * @param amount base units per request
 * @param asset the EIP-3009 token
 * @param tokenName the token's EIP-712 domain name ({@code extra.name})
 * @param tokenVersion its domain version ({@code extra.version})
 * @param chain the chain
 * @param payTo the payee
 * @param maxTimeoutSeconds how long the payment may take
 * @param description what the resource is, for people
 * @param mimeType the media type of the response
 * @param versions the x402 versions offered: 2 in the {@code PAYMENT-REQUIRED} header, 1 in the body
 */
public record PaidRoute(
        BigInteger amount,
        Address asset,
        String tokenName,
        String tokenVersion,
        ChainId chain,
        Address payTo,
        long maxTimeoutSeconds,
        String description,
        String mimeType,
        Set<Integer> versions) {

    public PaidRoute {
        if (amount == null || amount.signum() <= 0) {
            throw new IllegalArgumentException("a paid route's amount must be positive base units, got " + amount);
        }
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(tokenName, "tokenName");
        Objects.requireNonNull(tokenVersion, "tokenVersion");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(payTo, "payTo");
        if (maxTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("maxTimeoutSeconds must be positive, got " + maxTimeoutSeconds);
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(mimeType, "mimeType");
        versions = Set.copyOf(versions);
        if (versions.isEmpty() || !Set.of(1, 2).containsAll(versions)) {
            throw new IllegalArgumentException("x402 versions must be a non-empty subset of {1, 2}, got " + versions);
        }
    }

    /** The requirement offered in {@code version}, for the resource at {@code url}. */
    public PaymentRequirements requirements(int version, String url, X402Networks networks) {
        String network = networks.networkString(chain, version);
        return version == 1
                ? PaymentRequirements.exactV1(network, amount, asset.value(), payTo.value(), maxTimeoutSeconds, tokenName,
                        tokenVersion, url, description)
                : PaymentRequirements.exactV2(network, amount, asset.value(), payTo.value(), maxTimeoutSeconds, tokenName,
                        tokenVersion);
    }

    /** Whether {@code version} is offered. */
    public boolean offers(int version) {
        return versions.contains(version);
    }

    /** The v1 network name, if the chain has one. */
    Optional<String> v1Network(X402Networks networks) {
        return networks.v1Name(chain);
    }
}
