package dev.forage.tools.inference.openai;

import dev.forage.policies.Asset;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.ProviderResilience;
import dev.forage.tools.inference.TokenPrice;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One OpenAI-compatible provider: where it is, how it lists models, how strictly its answers are
 * checked. Start from a preset ({@link #together}, {@link #ioNet}, {@link #chutes},
 * {@link #openAi}) and adjust with the {@code with…} methods.
 *
 * @param api the provider id, base URL (requests go to {@code embeddings} and
 *     {@code chat/completions} under it), API key by environment variable name, auth header,
 *     timeout per request and response cap
 * @param billing the asset prices and costs are in (a USD stablecoin: one USD is one whole token)
 * @param listing how the provider lists its models and prices
 * @param checks what an answer must satisfy beyond the OpenAI shape
 * @param prices prices by model id that take precedence over the listing's (prices agreed out of
 *     band, or a provider that lists none)
 * @param resilience retry, breaker, time limiter and bulkhead settings for every call
 * @param priceTtl how long a fetched listing's prices are used before the list is fetched again
 */
public record OpenAiCompatibleConfig(JsonApi.Config api, Asset billing, ModelListing listing, Checks checks,
        Map<String, TokenPrice> prices, ProviderResilience.Settings resilience, Duration priceTtl) {

    /** Together AI's inference base URL. */
    public static final String TOGETHER_URL = "https://api.together.ai/v1";
    /** io.net IO Intelligence's inference base URL. */
    public static final String IONET_URL = "https://api.intelligence.io.solutions/api/v1/";
    /** Chutes' (Bittensor SN64) inference base URL. */
    public static final String CHUTES_URL = "https://llm.chutes.ai/v1";

    public OpenAiCompatibleConfig {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(billing, "billing");
        Objects.requireNonNull(listing, "listing");
        Objects.requireNonNull(checks, "checks");
        prices = Map.copyOf(prices);
        prices.forEach((model, price) -> {
            if (!price.inputPerMillion().asset().equals(billing)) {
                throw new IllegalArgumentException(api.provider() + " price of " + model + " is in "
                        + price.inputPerMillion().asset() + ", not the billing asset " + billing);
            }
        });
        Objects.requireNonNull(resilience, "resilience");
        if (priceTtl == null || priceTtl.isNegative()) {
            throw new IllegalArgumentException(api.provider() + " priceTtl " + priceTtl + " must be zero or positive");
        }
    }

    /**
     * What an answer must satisfy beyond the OpenAI shape.
     *
     * @param dimensions each embedding model's vector dimension, where known; a model not named
     *     here must answer vectors of one dimension across the batch
     * @param modelPrefixes prefixes the provider may put before the requested model id in its
     *     answer's {@code model} (none by default: the answer must name exactly the model asked for)
     * @param embeddingsUsage whether an embeddings answer must carry {@code usage} (the provider
     *     documents it)
     * @param chatUsage whether a chat answer must carry {@code usage}
     */
    public record Checks(Map<String, Integer> dimensions, List<String> modelPrefixes, boolean embeddingsUsage,
            boolean chatUsage) {
        public Checks {
            dimensions = Map.copyOf(dimensions);
            dimensions.forEach((model, d) -> {
                if (d < 1) {
                    throw new IllegalArgumentException("dimension of " + model + " is " + d + "; it must be at least 1");
                }
            });
            modelPrefixes = List.copyOf(modelPrefixes);
            for (String p : modelPrefixes) {
                if (p.isEmpty()) {
                    throw new IllegalArgumentException("a tolerated model prefix must not be empty");
                }
            }
        }

        /** No dimensions known, no prefixes tolerated, usage required on both kinds. */
        public static Checks strict() {
            return new Checks(Map.of(), List.of(), true, true);
        }
    }

    /**
     * Together AI at {@value #TOGETHER_URL}, Bearer key, models as a bare array with USD prices per
     * million tokens. Its embeddings answer documents no {@code usage} (the OpenAPI schema's
     * {@code EmbeddingsResponse} is {@code {object, model, data}}), so it is not required there;
     * chat answers must carry it.
     */
    public static OpenAiCompatibleConfig together(ApiKey key, Asset billing) {
        return of("together", TOGETHER_URL, key, billing, ModelListing.bareArray(),
                new Checks(Map.of(), List.of(), false, true));
    }

    /**
     * io.net IO Intelligence at {@value #IONET_URL}, Bearer key, models in pages ({@code page} from 1,
     * {@code page_size} up to 100), usage required on both kinds.
     */
    public static OpenAiCompatibleConfig ioNet(ApiKey key, Asset billing) {
        return of("ionet", IONET_URL, key, billing, ModelListing.paginated(), Checks.strict());
    }

    /**
     * Chutes (Bittensor SN64) at {@value #CHUTES_URL}, Bearer {@code cpk_…} key, models and prices
     * from the management API's pages, usage required on both kinds. Chutes' errors are
     * {@code {"detail": …}}; they travel in {@link dev.forage.tools.http.RemoteCallException#body()}.
     */
    public static OpenAiCompatibleConfig chutes(ApiKey key, Asset billing) {
        return of("chutes", CHUTES_URL, key, billing, ModelListing.chutes(), Checks.strict());
    }

    /**
     * A generic OpenAI-compatible endpoint (OpenAI itself, vLLM, the devnet nodes): Bearer key,
     * models in OpenAI's {@code {object:"list", data:[…]}} envelope, usage required on both kinds.
     *
     * @param id the provider id, lower-case, e.g. {@code devnet-node-1}
     * @param baseUrl e.g. {@code http://127.0.0.1:40123/v1}
     */
    public static OpenAiCompatibleConfig openAi(String id, String baseUrl, ApiKey key, Asset billing) {
        return of(id, baseUrl, key, billing, ModelListing.envelope(), Checks.strict());
    }

    private static OpenAiCompatibleConfig of(String id, String baseUrl, ApiKey key, Asset billing, ModelListing listing,
            Checks checks) {
        return new OpenAiCompatibleConfig(JsonApi.Config.of(id, baseUrl, key, JsonApi.Auth.bearer()), billing, listing,
                checks, Map.of(), ProviderResilience.Settings.defaults(), Duration.ofMinutes(10));
    }

    /** The provider id. */
    public String id() {
        return api.provider();
    }

    /** This config with the inference endpoints at {@code baseUrl} (a test server, a proxy, a devnet node). */
    public OpenAiCompatibleConfig withBaseUrl(String baseUrl) {
        String withSlash = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        return withApi(new JsonApi.Config(api.provider(), URI.create(withSlash), api.key(), api.auth(), api.timeout(),
                api.maxResponseBytes()));
    }

    /** This config with another HTTP setup. */
    public OpenAiCompatibleConfig withApi(JsonApi.Config newApi) {
        return new OpenAiCompatibleConfig(newApi, billing, listing, checks, prices, resilience, priceTtl);
    }

    /** This config with another per-request timeout. */
    public OpenAiCompatibleConfig withTimeout(Duration timeout) {
        return withApi(api.withTimeout(timeout));
    }

    /** This config with another cap on an answer's size. */
    public OpenAiCompatibleConfig withMaxResponseBytes(int max) {
        return withApi(api.withMaxResponseBytes(max));
    }

    /** This config with another model listing. */
    public OpenAiCompatibleConfig withListing(ModelListing newListing) {
        return new OpenAiCompatibleConfig(api, billing, newListing, checks, prices, resilience, priceTtl);
    }

    /** This config with other checks. */
    public OpenAiCompatibleConfig withChecks(Checks newChecks) {
        return new OpenAiCompatibleConfig(api, billing, listing, newChecks, prices, resilience, priceTtl);
    }

    /** This config expecting vectors of {@code dimension} from {@code model}. */
    public OpenAiCompatibleConfig withDimension(String model, int dimension) {
        Map<String, Integer> d = new HashMap<>(checks.dimensions());
        d.put(model, dimension);
        return withChecks(new Checks(d, checks.modelPrefixes(), checks.embeddingsUsage(), checks.chatUsage()));
    }

    /** This config tolerating {@code prefix} before the requested model id in answers. */
    public OpenAiCompatibleConfig withModelPrefix(String prefix) {
        List<String> p = new ArrayList<>(checks.modelPrefixes());
        p.add(prefix);
        return withChecks(new Checks(checks.dimensions(), p, checks.embeddingsUsage(), checks.chatUsage()));
    }

    /** This config requiring (or not) usage in embeddings and chat answers. */
    public OpenAiCompatibleConfig withUsageRequired(boolean embeddings, boolean chat) {
        return withChecks(new Checks(checks.dimensions(), checks.modelPrefixes(), embeddings, chat));
    }

    /** This config pricing {@code model} at {@code price}, whatever the listing says. */
    public OpenAiCompatibleConfig withPrice(String model, TokenPrice price) {
        Map<String, TokenPrice> p = new HashMap<>(prices);
        p.put(model, price);
        return new OpenAiCompatibleConfig(api, billing, listing, checks, p, resilience, priceTtl);
    }

    /** This config with other resilience settings. */
    public OpenAiCompatibleConfig withResilience(ProviderResilience.Settings settings) {
        return new OpenAiCompatibleConfig(api, billing, listing, checks, prices, settings, priceTtl);
    }

    /** This config refreshing listed prices after {@code ttl}. */
    public OpenAiCompatibleConfig withPriceTtl(Duration ttl) {
        return new OpenAiCompatibleConfig(api, billing, listing, checks, prices, resilience, ttl);
    }
}
