package dev.forage.tools.inference.ritual;

import dev.forage.policies.Asset;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.ProviderResilience;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One Ritual Infernet node.
 *
 * @param api the provider id, the node's base URL (its REST server, e.g.
 *     {@code http://127.0.0.1:4000/}), a key (none: the node has no auth, but a proxy may), timeout
 *     and response cap
 * @param billing the asset route prices and costs are in
 * @param routes which containers serve which model
 * @param pollInterval the wait between status requests (the node allows 60 a minute per client)
 * @param deadline how long a job may run, from its submission, before the call gives up
 * @param resilience retry, breaker, time limiter and bulkhead settings for every request
 */
public record RitualConfig(JsonApi.Config api, Asset billing, List<RitualRoute> routes, Duration pollInterval,
        Duration deadline, ProviderResilience.Settings resilience) {

    public RitualConfig {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(billing, "billing");
        routes = List.copyOf(routes);
        Set<String> models = new HashSet<>();
        for (RitualRoute r : routes) {
            if (!models.add(r.model())) {
                throw new IllegalArgumentException(api.provider() + " has two routes for model " + r.model());
            }
            r.price().ifPresent(p -> {
                if (!p.inputPerMillion().asset().equals(billing)) {
                    throw new IllegalArgumentException(api.provider() + " price of " + r.model() + " is in "
                            + p.inputPerMillion().asset() + ", not the billing asset " + billing);
                }
            });
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException(api.provider() + " pollInterval " + pollInterval + " must be positive");
        }
        if (deadline == null || deadline.compareTo(pollInterval) < 0) {
            throw new IllegalArgumentException(api.provider() + " deadline " + deadline + " must be at least the poll interval "
                    + pollInterval);
        }
        Objects.requireNonNull(resilience, "resilience");
    }

    /**
     * A node at {@code nodeUrl} without a key, polled every 2 s (under the node's 60 status
     * requests a minute) for up to 2 minutes.
     *
     * @param id the provider id, lower-case, e.g. {@code ritual}
     */
    public static RitualConfig of(String id, String nodeUrl, Asset billing, List<RitualRoute> routes) {
        return new RitualConfig(JsonApi.Config.of(id, nodeUrl, ApiKey.none(), JsonApi.Auth.bearer()), billing, routes,
                Duration.ofSeconds(2), Duration.ofMinutes(2), ProviderResilience.Settings.defaults());
    }

    /** The provider id. */
    public String id() {
        return api.provider();
    }

    /** The route for {@code model}, if any. */
    public Optional<RitualRoute> route(String model) {
        return routes.stream().filter(r -> r.model().equals(model)).findFirst();
    }

    /** This config with another HTTP setup (a key for a proxy in front of the node, another cap). */
    public RitualConfig withApi(JsonApi.Config newApi) {
        return new RitualConfig(newApi, billing, routes, pollInterval, deadline, resilience);
    }

    /** This config sending {@code key} the {@code auth} way (the node itself needs none; a proxy may). */
    public RitualConfig withKey(ApiKey key, JsonApi.Auth auth) {
        return withApi(new JsonApi.Config(api.provider(), api.baseUrl(), key, auth, api.timeout(), api.maxResponseBytes()));
    }

    /** This config polling every {@code interval} for up to {@code limit}. */
    public RitualConfig withPolling(Duration interval, Duration limit) {
        return new RitualConfig(api, billing, routes, interval, limit, resilience);
    }

    /** This config with other resilience settings. */
    public RitualConfig withResilience(ProviderResilience.Settings settings) {
        return new RitualConfig(api, billing, routes, pollInterval, deadline, settings);
    }
}
