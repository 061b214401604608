package dev.forage.tools.inference.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.ProviderResilience;
import dev.forage.tools.http.RemoteCallException;
import dev.forage.tools.inference.ModelInfo;
import dev.forage.tools.inference.TokenPrice;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a provider's model list in whichever of the shapes of {@link ModelListing} it speaks, and
 * keeps the last one for {@code ttl} so a price lookup per request costs no call. A listing that
 * is not its documented shape fails as {@link RemoteCallException.Kind#MALFORMED_RESPONSE}: a
 * price that cannot be read is never taken for no price.
 */
final class ModelCatalog {

    private record Snapshot(List<ModelInfo> models, Instant fetchedAt) {}

    private final String provider;
    private final ModelListing listing;
    private final Asset billing;
    private final JsonApi api;
    private final Optional<JsonApi> managementApi;
    private final ProviderResilience resilience;
    private final Clock clock;
    private final Duration ttl;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile Snapshot snapshot;

    ModelCatalog(OpenAiCompatibleConfig config, JsonApi api, ProviderResilience resilience, HttpClient http,
            Clock clock) {
        this.provider = config.id();
        this.listing = config.listing();
        this.billing = config.billing();
        this.api = api;
        this.resilience = resilience;
        this.clock = clock;
        this.ttl = config.priceTtl();
        JsonApi.Config c = config.api();
        this.managementApi = listing instanceof ModelListing.Pages p
                ? Optional.of(new JsonApi(new JsonApi.Config(c.provider(), p.baseUrl(), c.key(), c.auth(), c.timeout(),
                        c.maxResponseBytes()), http, clock))
                : Optional.empty();
    }

    /** The models now (fetched), remembered for price lookups. */
    List<ModelInfo> fetch() {
        List<ModelInfo> models = switch (listing) {
            case ModelListing.Fixed f -> f.models();
            case ModelListing.Envelope e -> envelope(e);
            case ModelListing.BareArray b -> bareArray(b);
            case ModelListing.Paginated p -> paginated(p);
            case ModelListing.Pages p -> pages(p);
        };
        snapshot = new Snapshot(models, clock.instant());
        return models;
    }

    /** The listed price of {@code model}, from a listing at most {@code ttl} old (fetched if older). */
    Optional<TokenPrice> price(String model) {
        Snapshot s = snapshot;
        if (s == null || expired(s)) {
            refreshing.lock();
            try {
                s = snapshot;
                if (s == null || expired(s)) {
                    fetch();
                    s = snapshot;
                }
            } finally {
                refreshing.unlock();
            }
        }
        return s.models().stream().filter(m -> m.id().equals(model)).findFirst().flatMap(ModelInfo::price);
    }

    private boolean expired(Snapshot s) {
        return !clock.instant().isBefore(s.fetchedAt().plus(ttl));
    }

    private List<ModelInfo> envelope(ModelListing.Envelope e) {
        JsonNode root = get(api, e.path(), List.of(), "list models");
        JsonNode data = root.get("data");
        if (!root.isObject() || data == null || !data.isArray()) {
            throw malformed(e.path(), "no 'data' array (expected OpenAI's {object:\"list\", data:[...]})");
        }
        List<ModelInfo> out = new ArrayList<>();
        for (JsonNode item : data) {
            String id = id(item, "id", e.path());
            out.add(new ModelInfo(id, item.path("type").asText("model"), pricing(item.get("pricing"), id, e.path())));
        }
        return List.copyOf(out);
    }

    private List<ModelInfo> bareArray(ModelListing.BareArray b) {
        JsonNode root = get(api, b.path(), List.of(), "list models");
        if (!root.isArray()) {
            throw malformed(b.path(), "a " + root.getNodeType() + " where Together documents a bare array of models");
        }
        List<ModelInfo> out = new ArrayList<>();
        for (JsonNode item : root) {
            String id = id(item, "id", b.path());
            out.add(new ModelInfo(id, item.path("type").asText("unknown"), pricing(item.get("pricing"), id, b.path())));
        }
        return List.copyOf(out);
    }

    private List<ModelInfo> paginated(ModelListing.Paginated p) {
        Map<String, ModelInfo> out = new LinkedHashMap<>();
        for (int page = 1; ; page++) {
            JsonNode root = get(api, p.path(), JsonApi.query("page", Integer.toString(page), "page_size",
                    Integer.toString(p.pageSize())), "list models page " + page);
            JsonNode data = root.get("data");
            if (!root.isObject() || data == null || !data.isArray()) {
                throw malformed(p.path(), "no 'data' array on page " + page + " (expected {data:[...], pagination:{...}})");
            }
            for (JsonNode item : data) {
                String id = id(item, "name", p.path());
                if (item.hasNonNull("status") && !"active".equals(item.get("status").asText())) {
                    continue;
                }
                JsonNode meta = item.path("metadata");
                String kind = meta.path("enable_api_embeddings").asBoolean(false) ? "embedding"
                        : meta.path("enable_api_chat_completions").asBoolean(false) ? "chat" : "other";
                out.putIfAbsent(id, new ModelInfo(id, kind, perTokens(meta.get("input_token_price"),
                        meta.get("output_token_price"), p.tokensPerPrice(), id, p.path())));
            }
            JsonNode pagination = root.path("pagination");
            boolean more = pagination.has("has_next") ? pagination.path("has_next").asBoolean(false)
                    : pagination.has("total_pages") ? page < pagination.path("total_pages").asInt(0)
                    : data.size() >= p.pageSize();
            if (!more || data.isEmpty()) {
                return List.copyOf(out.values());
            }
            if (page >= p.maxPages()) {
                throw malformed(p.path(), "more than " + p.maxPages() + " pages of models (pagination " + pagination
                        + "); raise maxPages if the listing really is that long");
            }
        }
    }

    private List<ModelInfo> pages(ModelListing.Pages p) {
        JsonApi management = managementApi.orElseThrow();
        Map<String, ModelInfo> out = new LinkedHashMap<>();
        for (int page = 0; ; page++) {
            JsonNode root = get(management, p.path(), JsonApi.query("include_public", "true", "page", Integer.toString(page),
                    "limit", Integer.toString(p.limit())), "list chutes page " + page);
            JsonNode items = root.get("items");
            JsonNode total = root.get("total");
            if (!root.isObject() || items == null || !items.isArray() || total == null || !total.canConvertToLong()) {
                throw malformed(p.path(), "not {total, page, limit, items} on page " + page);
            }
            for (JsonNode item : items) {
                String id = id(item, "name", p.path());
                String template = item.path("standard_template").asText("");
                String kind = switch (template) {
                    case "vllm", "sglang" -> "chat";
                    case "embedding", "tei" -> "embedding";
                    case "" -> "other";
                    default -> template;
                };
                JsonNode perMillion = item.path("current_estimated_price").path("per_million_tokens");
                Optional<TokenPrice> price = perMillion.isObject()
                        ? perTokens(perMillion.path("input").get("usd"), perMillion.path("output").get("usd"), 1_000_000, id,
                                p.path())
                        : Optional.empty();
                out.putIfAbsent(id, new ModelInfo(id, kind, price));
            }
            long seen = (long) (page + 1) * p.limit();
            if (items.isEmpty() || seen >= total.asLong()) {
                return List.copyOf(out.values());
            }
            if (page + 1 >= p.maxPages()) {
                throw malformed(p.path(), "more than " + p.maxPages() + " pages of " + p.limit() + " (total " + total.asLong()
                        + "); raise maxPages if the listing really is that long");
            }
        }
    }

    private JsonNode get(JsonApi through, String path, List<Map.Entry<String, String>> query, String operation) {
        return resilience.call(operation, () -> through.get(path, query)).json();
    }

    private String id(JsonNode item, String field, String path) {
        JsonNode id = item.get(field);
        if (!item.isObject() || id == null || !id.isTextual() || id.asText().isBlank()) {
            throw malformed(path, "a model without a string '" + field + "': " + abbreviate(item));
        }
        return id.asText();
    }

    /** Together's {@code pricing:{input, output}} in USD per million tokens; absent when there is no pricing object. */
    private Optional<TokenPrice> pricing(JsonNode pricing, String id, String path) {
        if (pricing == null || pricing.isNull()) {
            return Optional.empty();
        }
        if (!pricing.isObject()) {
            throw malformed(path, "model " + id + " has 'pricing' " + abbreviate(pricing) + ", not an object");
        }
        return perTokens(pricing.get("input"), pricing.get("output"), 1_000_000, id, path);
    }

    /**
     * Prices in USD per {@code tokens} tokens, as decimal numbers or strings, converted exactly to
     * the billing asset per million tokens and rounded up to a whole base unit (the rule of
     * {@link dev.forage.tools.compute.Prices}). No price when both are absent; an
     * absent one of the two is free (embedding models list no output price).
     */
    private Optional<TokenPrice> perTokens(JsonNode input, JsonNode output, long tokens, String id, String path) {
        boolean noInput = absent(input);
        boolean noOutput = absent(output);
        if (noInput && noOutput) {
            return Optional.empty();
        }
        return Optional.of(new TokenPrice(perMillion(input, tokens, id, path), perMillion(output, tokens, id, path)));
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || (n.isTextual() && n.asText().isBlank());
    }

    private Money perMillion(JsonNode price, long tokens, String id, String path) {
        if (absent(price)) {
            return Money.zero(billing);
        }
        BigDecimal usd;
        try {
            usd = price.isNumber() ? price.decimalValue() : new BigDecimal(price.asText().strip());
        } catch (NumberFormatException e) {
            throw malformed(path, "model " + id + " has price " + abbreviate(price) + ", not a decimal number");
        }
        if (usd.signum() < 0) {
            throw malformed(path, "model " + id + " has negative price " + usd.toPlainString());
        }
        // Exact, rounded up once: base units per million tokens = ceil(usd × 10^6 × 10^decimals / tokens).
        BigDecimal units = usd.movePointRight(6 + billing.decimals()).divide(BigDecimal.valueOf(tokens), 0, RoundingMode.CEILING);
        return Money.ofUnits(billing, units.toBigIntegerExact());
    }

    private RemoteCallException malformed(String path, String what) {
        return RemoteCallException.malformed(provider, "GET /" + path, what);
    }

    private static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
