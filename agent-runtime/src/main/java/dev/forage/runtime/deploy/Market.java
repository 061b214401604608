package dev.forage.runtime.deploy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A compute market the agent may lease GPUs from.
 *
 * @param kind which market
 * @param baseUrl the market's API, when not the adapter's default
 * @param apiKeyEnv the name of the environment variable holding the API key; present for the
 *     kinds that {@linkplain MarketKind#needsApiKey() need one}
 * @param maxPricePerHour the most the agent pays for one GPU hour here, resolved on the chain
 * @param offerTtl how long a quoted offer is trusted, positive
 * @param options market-specific settings as text (numbers and booleans as written), in file order
 */
public record Market(MarketKind kind, Optional<URI> baseUrl, Optional<String> apiKeyEnv, Amount maxPricePerHour,
        Duration offerTtl, Map<String, String> options) {

    public Market {
        Objects.requireNonNull(kind, "market kind");
        Objects.requireNonNull(baseUrl, "market baseUrl");
        Objects.requireNonNull(apiKeyEnv, "market apiKeyEnv");
        baseUrl.ifPresent(u -> Urls.requireHttp("market baseUrl", u));
        apiKeyEnv.ifPresent(v -> EnvNames.require("market apiKeyEnv", v));
        if (kind.needsApiKey() && apiKeyEnv.isEmpty()) {
            throw new IllegalArgumentException("market " + kind.yamlName() + " needs apiKeyEnv: name the environment variable holding its API key");
        }
        Objects.requireNonNull(maxPricePerHour, "market maxPricePerHour");
        Durations.requirePositive("market offerTtl", offerTtl);
        options = Ordered.copy(options, "market options");
    }
}
