package dev.forage.tools.compute.hyperbolic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.compute.ComputeException;
import dev.forage.tools.compute.ComputeMarket;
import dev.forage.tools.compute.ComputeSpec;
import dev.forage.tools.compute.Lease;
import dev.forage.tools.compute.LeaseTerms;
import dev.forage.tools.compute.Offer;
import dev.forage.tools.compute.Prices;
import dev.forage.tools.compute.Resources;
import dev.forage.tools.compute.SshEndpoints;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.JsonFields;
import dev.forage.tools.http.ProviderResilience;
import dev.forage.tools.http.RemoteCallException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Hyperbolic GPU marketplace as a {@link ComputeMarket}: whole GPUs on named nodes of
 * independent suppliers' clusters, billed by running time until terminated.
 *
 * <ul>
 *   <li>{@link #offers}: {@code POST /v1/marketplace {"filters":{}}}; only nodes with status
 *       {@code node_ready}, not {@code reserved}, with at least the spec's GPU count free
 *       ({@code gpus_total - gpus_reserved}). The documented endpoint needs no key: with
 *       {@link ApiKey#none()} the listing is anonymous (and leasing fails NOT_CONFIGURED before
 *       any request); with a configured key every call, the listing included, sends it, so a
 *       missing variable is reported at once. Offers are cached per spec for
 *       {@link Config#offerTtl()}.
 *   <li><b>Price unit.</b> The docs say {@code pricing.price.amount} is the hourly cost in US
 *       dollars; one public client divides it by 100 (cents). {@link Config#priceUnit()} says
 *       which ({@link PriceUnit#DOLLARS}, the docs, by default). The amount is taken per GPU-hour,
 *       as the marketplace quotes it, so an offer for n GPUs costs n × amount an hour; a
 *       {@code period} other than an hour leaves the node out. No minimum charge.
 *   <li>{@link #lease}: {@code POST /v1/marketplace/instances/create {cluster_name, node_name,
 *       gpu_count, image?}} ({@code image} as {@code {"name": …}}, as Hyperbolic's own CLI sends
 *       it). The answer's id ({@code instance_name}, {@code instanceName}, {@code instance_id},
 *       {@code id}) is used; without one, the instance that appeared on the node since a
 *       listing taken just before the create is. The create is never retried automatically;
 *       a second {@code lease} with the same key within a day looks for that new instance
 *       before creating (Hyperbolic takes no idempotency key, so this holds per process).
 *   <li>{@link #status}: {@code GET /v1/marketplace/instances}, ours by id; an instance that is
 *       no longer listed has ended (terminated instances leave the list).
 *   <li>{@link #extend}: Hyperbolic instances run until terminated, so there is nothing to
 *       extend remotely: the lease comes back with its planned end moved later and no request
 *       is made (an ended lease is LEASE_ENDED).
 *   <li>{@link #release}: {@code POST /v1/marketplace/instances/terminate {id}}; the cost is
 *       the exact running time at the offer's hourly price, rounded up.
 * </ul>
 * Thread-safe.
 */
public final class HyperbolicMarket implements ComputeMarket {

    /** The market id. */
    public static final String ID = "hyperbolic";
    /** Hyperbolic's API. */
    public static final String DEFAULT_BASE_URL = "https://api.hyperbolic.xyz";

    static final String LIST = "v1/marketplace";
    static final String INSTANCES = "v1/marketplace/instances";
    static final String CREATE = "v1/marketplace/instances/create";
    static final String TERMINATE = "v1/marketplace/instances/terminate";

    /** The unit of {@code pricing.price.amount}, which the docs and a public client disagree on. */
    public enum PriceUnit {
        /** US dollars per GPU-hour, as the marketplace docs say ("Hourly cost in USD"). */
        DOLLARS,
        /** US cents per GPU-hour, as one public client reads it (it divides by 100). */
        CENTS;

        /** {@code amount} in US dollars. */
        public BigDecimal toUsd(BigDecimal amount) {
            return this == CENTS ? amount.movePointLeft(2) : amount;
        }
    }

    /**
     * How to reach and use Hyperbolic.
     *
     * @param baseUrl the API's base URL
     * @param key the API key (Bearer), by environment variable name; {@link ApiKey#none()} to
     *     browse offers anonymously
     * @param billing the billing asset (USDC, 6 decimals)
     * @param priceUnit the unit of {@code pricing.price.amount}
     * @param timeout the limit for one HTTP request
     * @param resilience retry, breaker, time limiter and bulkhead settings
     * @param offerTtl how long offers for one spec are served from cache (zero: not cached)
     */
    public record Config(String baseUrl, ApiKey key, Asset billing, PriceUnit priceUnit, Duration timeout,
            ProviderResilience.Settings resilience, Duration offerTtl) {

        public Config {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(billing, "billing");
            Objects.requireNonNull(priceUnit, "priceUnit");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(resilience, "resilience");
            if (offerTtl == null || offerTtl.isNegative()) {
                throw new IllegalArgumentException("Hyperbolic offerTtl " + offerTtl + " must be zero or positive, e.g. PT30S");
            }
        }

        /** Hyperbolic at {@link #DEFAULT_BASE_URL}, prices in dollars, 30 s requests, default resilience, offers cached 30 s. */
        public static Config of(ApiKey key, Asset billing) {
            return new Config(DEFAULT_BASE_URL, key, billing, PriceUnit.DOLLARS, Duration.ofSeconds(30),
                    ProviderResilience.Settings.defaults(), Duration.ofSeconds(30));
        }

        /** This config with another base URL (a test server, a proxy). */
        public Config withBaseUrl(String url) {
            return new Config(url, key, billing, priceUnit, timeout, resilience, offerTtl);
        }

        /** This config reading prices in {@code unit}. */
        public Config withPriceUnit(PriceUnit unit) {
            return new Config(baseUrl, key, billing, unit, timeout, resilience, offerTtl);
        }

        /** This config with another request timeout. */
        public Config withTimeout(Duration t) {
            return new Config(baseUrl, key, billing, priceUnit, t, resilience, offerTtl);
        }

        /** This config with other resilience settings. */
        public Config withResilience(ProviderResilience.Settings s) {
            return new Config(baseUrl, key, billing, priceUnit, timeout, s, offerTtl);
        }

        /** This config caching offers for {@code ttl}. */
        public Config withOfferTtl(Duration ttl) {
            return new Config(baseUrl, key, billing, priceUnit, timeout, resilience, ttl);
        }
    }

    /** A create in progress for one idempotency key: what was listed before it, and what came of it. */
    private static final class Pending {
        final String node;
        Set<String> before;
        boolean posted;
        Optional<String> id = Optional.empty();

        Pending(String node) {
            this.node = node;
        }
    }

    private final Config config;
    private final JsonApi api;
    private final ProviderResilience resilience;
    private final Clock clock;
    private final Cache<ComputeSpec, List<Offer>> offerCache;
    private final Cache<String, Pending> pending;

    /**
     * @param http the JDK client (share one per process)
     * @param clock for lease times and costs
     * @param ticker for the offer cache's TTL (tests pass a fake)
     */
    public HyperbolicMarket(Config config, HttpClient http, Clock clock, Ticker ticker) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.api = new JsonApi(JsonApi.Config.of(ID, config.baseUrl(), config.key(), JsonApi.Auth.bearer())
                .withTimeout(config.timeout()), http, clock);
        this.resilience = ProviderResilience.of(ID, config.resilience());
        Objects.requireNonNull(ticker, "ticker");
        this.offerCache = Caffeine.newBuilder().expireAfterWrite(config.offerTtl()).maximumSize(256).ticker(ticker).build();
        this.pending = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(1)).maximumSize(10_000).ticker(ticker).build();
    }

    /** An adapter with its own HTTP client, the system clock and ticker. */
    public static HyperbolicMarket create(Config config) {
        return new HyperbolicMarket(config, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                Clock.systemUTC(), Ticker.systemTicker());
    }

    @Override
    public String id() {
        return ID;
    }

    /** The resilience stack, for metrics. */
    public ProviderResilience resilience() {
        return resilience;
    }

    @Override
    public List<Offer> offers(ComputeSpec spec) {
        return offerCache.get(spec, this::fetchOffers);
    }

    private List<Offer> fetchOffers(ComputeSpec spec) {
        ObjectNode body = JsonApi.MAPPER.createObjectNode();
        body.putObject("filters");
        JsonNode answer = resilience.call("list marketplace", () -> api.post(LIST, body)).json();
        JsonFields f = JsonFields.of(ID, "POST /" + LIST);
        Instant now = clock.instant();
        List<Offer> offers = new ArrayList<>();
        for (JsonNode node : f.array(answer, "instances")) {
            offer(f, node, spec, now).ifPresent(offers::add);
        }
        offers.sort(Comparator.comparing(Offer::pricePerHour));
        return List.copyOf(offers);
    }

    private Optional<Offer> offer(JsonFields f, JsonNode node, ComputeSpec spec, Instant now) {
        String nodeName = f.text(node, "id");
        if (!"node_ready".equals(f.text(node, "status")) || f.optionalBoolean(node, "reserved").orElse(false)) {
            return Optional.empty();
        }
        long total = f.integer(node, "gpus_total");
        long free = total - f.optionalInteger(node, "gpus_reserved").orElse(0);
        if (free < spec.gpuCount()) {
            return Optional.empty();
        }
        String cluster = f.text(node, "cluster_name");
        JsonNode price = f.object(f.object(node, "pricing"), "price");
        BigDecimal amount = f.decimal(price, "amount");
        Optional<String> period = f.optionalText(price, "period");
        if (period.isPresent() && !Set.of("hour", "hourly", "hr", "h", "1h").contains(period.get().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        JsonNode hardware = f.optional(node, "hardware").orElse(JsonApi.MAPPER.createObjectNode());
        List<JsonNode> gpus = list(f.optional(hardware, "gpus"));
        String model = gpus.isEmpty() ? "unknown" : f.optionalText(gpus.get(0), "model").orElse("unknown");
        // GPU RAM is in MiB (81559 for an H100 80GB): round to the nearest GiB.
        long vramMib = gpus.isEmpty() ? 0 : f.optionalInteger(gpus.get(0), "ram").orElse(0);
        int vramGib = (int) BigDecimal.valueOf(Math.max(0, vramMib)).divide(BigDecimal.valueOf(1024), 0, RoundingMode.HALF_UP)
                .longValue();
        long cores = 0;
        for (JsonNode cpu : list(f.optional(hardware, "cpus"))) {
            cores += f.optionalInteger(cpu, "virtual_cores").orElse(f.optionalInteger(cpu, "cores").orElse(0));
        }
        long ramMib = 0;
        for (JsonNode ram : list(f.optional(hardware, "ram"))) {
            ramMib += f.optionalInteger(ram, "capacity").orElse(0);
        }
        Optional<String> region = f.optional(node, "location").flatMap(l -> f.optionalText(l, "region"));
        Resources resources = new Resources(model, spec.gpuCount(), vramGib, (int) Math.min(Integer.MAX_VALUE, Math.max(0, cores) * 1000),
                Math.max(0, ramMib), region);
        if (!resources.satisfies(spec)) {
            return Optional.empty();
        }
        Money perHour = Prices.usd(config.priceUnit().toUsd(amount).multiply(BigDecimal.valueOf(spec.gpuCount())),
                config.billing());
        Map<String, String> details = new TreeMap<>();
        details.put("cluster_name", cluster);
        details.put("node_name", nodeName);
        details.put("gpus_total", Long.toString(total));
        details.put("gpus_free", Long.toString(free));
        details.put("price_amount", amount.toPlainString());
        details.put("price_unit", config.priceUnit().name());
        period.ifPresent(p -> details.put("price_period", p));
        f.optionalText(price, "agent").ifPresent(a -> details.put("price_agent", a));
        f.optionalText(node, "supplier_id").ifPresent(s -> details.put("supplier_id", s));
        if (!gpus.isEmpty()) {
            f.optionalText(gpus.get(0), "interface").ifPresent(i -> details.put("gpu_interface", i));
        }
        f.optionalBoolean(node, "has_persistent_storage").ifPresent(p -> details.put("has_persistent_storage", p.toString()));
        String provider = f.optionalText(node, "supplier_id").orElse(cluster);
        return Optional.of(new Offer(ID, provider, nodeName, resources, perHour, Money.zero(config.billing()),
                now.plus(config.offerTtl()), details));
    }

    /** An array's elements; a single object is a list of one (the docs show arrays, one client reads {@code ram} as an object). */
    private static List<JsonNode> list(Optional<JsonNode> node) {
        List<JsonNode> out = new ArrayList<>();
        node.ifPresent(n -> {
            if (n.isArray()) {
                n.forEach(out::add);
            } else if (n.isObject()) {
                out.add(n);
            }
        });
        return out;
    }

    @Override
    public Lease lease(Offer offer, LeaseTerms terms) {
        requireOurs(offer.market(), "offer " + offer.offerId());
        String node = offer.details().getOrDefault("node_name", offer.offerId());
        String cluster = offer.details().get("cluster_name");
        if (cluster == null || cluster.isBlank()) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "offer " + offer.offerId()
                    + " has no cluster_name in its details: take offers from HyperbolicMarket.offers");
        }
        if (!terms.env().isEmpty()) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "lease field env " + terms.env().keySet()
                    + " cannot be honoured: Hyperbolic's instance create takes no environment; leave it empty");
        }
        requireKey("lease");
        ObjectNode body = JsonApi.MAPPER.createObjectNode();
        body.put("cluster_name", cluster);
        body.put("node_name", node);
        body.put("gpu_count", offer.resources().gpuCount());
        terms.image().ifPresent(image -> body.putObject("image").put("name", image));

        Pending p = pending.get(terms.idempotencyKey(), k -> new Pending(node));
        synchronized (p) {
            if (p.id.isEmpty()) {
                if (p.before == null) {
                    p.before = resilience.call("list instances", this::instanceIds);
                } else if (!p.posted) {
                    // An earlier create for this key failed without an answer: it may have happened.
                    p.id = resilience.call("list instances", () -> newInstance(p));
                }
            }
            if (p.id.isEmpty() && !p.posted) {
                JsonNode answer = resilience.callOnce("create instance", () -> {
                    try {
                        return api.post(CREATE, body).json();
                    } catch (RemoteCallException e) {
                        if (e.status().isPresent() && e.status().getAsInt() < 500 && e.status().getAsInt() != 408
                                && e.status().getAsInt() != 429) {
                            // A definite refusal: nothing was created, the next attempt starts afresh.
                            pending.invalidate(terms.idempotencyKey());
                        }
                        throw refusal(e, offer);
                    }
                });
                p.posted = true;
                p.id = instanceId(answer);
            }
            if (p.id.isEmpty()) {
                p.id = Optional.of(resilience.call("find instance", () -> newInstance(p).orElseThrow(() ->
                        new RemoteCallException(ID, RemoteCallException.Kind.MALFORMED_RESPONSE, 0, "", null, "Hyperbolic "
                                + "accepted an instance on node " + node + " but does not list it yet; call lease again with "
                                + "the same idempotency key: it looks for that instance and does not create another", true,
                                null))));
            }
            Instant now = clock.instant();
            Map<String, String> details = new TreeMap<>();
            details.put("cluster_name", cluster);
            details.put("node_name", node);
            details.put("gpu_count", Integer.toString(offer.resources().gpuCount()));
            terms.image().ifPresent(i -> details.put("image", i));
            return new Lease(p.id.get(), offer, List.of(), Lease.State.PENDING, now, Optional.of(now.plus(terms.duration())),
                    Money.zero(config.billing()), details);
        }
    }

    @Override
    public Lease status(Lease lease) {
        requireOurs(lease.offer().market(), "lease " + lease.id());
        requireKey("status");
        JsonNode answer = resilience.call("list instances", () -> api.get(INSTANCES, List.of())).json();
        JsonFields f = JsonFields.of(ID, "GET /" + INSTANCES);
        Instant now = clock.instant();
        for (JsonNode entry : f.array(answer, "instances")) {
            if (!lease.id().equals(f.text(entry, "id"))) {
                continue;
            }
            JsonNode inner = f.optional(entry, "instance").filter(JsonNode::isObject).orElse(entry);
            String status = f.optionalText(inner, "status").or(() -> f.optionalText(entry, "status")).orElse("unknown");
            Lease.State state = state(status);
            Instant start = f.optionalInstant(entry, "start").or(() -> f.optionalInstant(entry, "created")).orElse(lease.start());
            Optional<Instant> ended = f.optionalInstant(entry, "end");
            Instant until = ended.orElse(now);
            List<URI> endpoints = f.optionalText(entry, "sshCommand").flatMap(SshEndpoints::fromCommand).map(List::of)
                    .orElse(lease.endpoints());
            Map<String, String> details = new TreeMap<>(lease.details());
            details.put("status", status);
            f.optionalText(entry, "sshCommand").ifPresent(s -> details.put("ssh_command", s));
            return new Lease(lease.id(), lease.offer(), endpoints, state, start, ended.or(lease::end),
                    cost(lease, start, until), details);
        }
        // Terminated instances leave the list of one's instances: not listed means ended.
        Instant end = lease.state().ended() ? lease.end().orElse(now) : now;
        Map<String, String> details = new TreeMap<>(lease.details());
        details.put("status", "not listed");
        return new Lease(lease.id(), lease.offer(), lease.endpoints(), Lease.State.CLOSED, lease.start(), Optional.of(end),
                cost(lease, lease.start(), end), details);
    }

    /**
     * Moves the planned end {@code more} later, without a request: Hyperbolic instances run until
     * they are terminated, so there is nothing to extend at the market (and nothing to pay in
     * advance); the caller's budget is what the later end is for.
     *
     * @throws ComputeException LEASE_ENDED when the lease has ended
     */
    @Override
    public Lease extend(Lease lease, Duration more) {
        requireOurs(lease.offer().market(), "lease " + lease.id());
        if (lease.state().ended()) {
            throw new ComputeException(ID, ComputeException.Reason.LEASE_ENDED, "lease " + lease.id() + " is "
                    + lease.state() + "; it cannot be extended: lease anew");
        }
        if (more.isNegative() || more.isZero()) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "extension " + more + " must be positive");
        }
        Instant from = lease.end().filter(e -> e.isAfter(clock.instant())).orElse(clock.instant());
        Map<String, String> details = new TreeMap<>(lease.details());
        details.put("planned_end", from.plus(more).toString());
        return new Lease(lease.id(), lease.offer(), lease.endpoints(), lease.state(), lease.start(),
                Optional.of(from.plus(more)), lease.costSoFar(), details);
    }

    @Override
    public Lease release(Lease lease) {
        requireOurs(lease.offer().market(), "lease " + lease.id());
        if (lease.state().ended()) {
            return lease;
        }
        requireKey("release");
        ObjectNode body = JsonApi.MAPPER.createObjectNode().put("id", lease.id());
        boolean gone = resilience.call("terminate instance", () -> {
            try {
                api.post(TERMINATE, body);
                return false;
            } catch (RemoteCallException e) {
                if (e.status().orElse(0) == 404) {
                    return true;
                }
                throw e;
            }
        });
        Instant now = clock.instant();
        Map<String, String> details = new TreeMap<>(lease.details());
        details.put("released_at", now.toString());
        if (gone) {
            details.put("release_note", "Hyperbolic no longer knew the instance (404)");
        }
        return new Lease(lease.id(), lease.offer(), lease.endpoints(), Lease.State.CLOSED, lease.start(), Optional.of(now),
                cost(lease, lease.start(), now), details);
    }

    /** The exact running time at the offer's hourly price, rounded up. */
    private static Money cost(Lease lease, Instant start, Instant until) {
        Duration ran = until.isAfter(start) ? Duration.between(start, until) : Duration.ZERO;
        return Prices.prorate(lease.offer().pricePerHour(), ran);
    }

    /**
     * Instance statuses as Hyperbolic's clients know them ({@code creating}, {@code starting},
     * {@code online}, {@code offline}, {@code busy}, {@code restarting}, {@code stopping},
     * {@code failed}, {@code error}, {@code terminated}); an unknown one is PENDING.
     */
    static Lease.State state(String status) {
        return switch (status.strip().toLowerCase(Locale.ROOT)) {
            case "online", "running", "ready" -> Lease.State.ACTIVE;
            case "terminated", "terminating", "stopping", "stopped" -> Lease.State.CLOSED;
            case "failed", "error" -> Lease.State.FAILED;
            default -> Lease.State.PENDING;
        };
    }

    private Set<String> instanceIds() {
        Set<String> ids = new HashSet<>();
        JsonFields f = JsonFields.of(ID, "GET /" + INSTANCES);
        for (JsonNode entry : f.array(api.get(INSTANCES, List.of()).json(), "instances")) {
            ids.add(f.text(entry, "id"));
        }
        return ids;
    }

    /**
     * The instance on {@code p.node} that was not listed before the create; when the listing does
     * not say which node an instance is on, the only new one.
     */
    private Optional<String> newInstance(Pending p) {
        JsonFields f = JsonFields.of(ID, "GET /" + INSTANCES);
        List<String> fresh = new ArrayList<>();
        List<String> onNode = new ArrayList<>();
        for (JsonNode entry : f.array(api.get(INSTANCES, List.of()).json(), "instances")) {
            String id = f.text(entry, "id");
            if (p.before.contains(id)) {
                continue;
            }
            fresh.add(id);
            JsonNode inner = f.optional(entry, "instance").filter(JsonNode::isObject).orElse(entry);
            Optional<String> node = f.optionalText(entry, "node_name").or(() -> f.optionalText(inner, "node_name"))
                    .or(() -> f.optionalText(inner, "id"));
            if (node.isPresent() && node.get().equals(p.node)) {
                onNode.add(id);
            }
        }
        if (onNode.size() == 1) {
            return Optional.of(onNode.get(0));
        }
        return onNode.isEmpty() && fresh.size() == 1 ? Optional.of(fresh.get(0)) : Optional.empty();
    }

    /** The instance id in the create answer, if any (the response shape is undocumented). */
    static Optional<String> instanceId(JsonNode answer) {
        if (answer == null || !answer.isObject()) {
            return Optional.empty();
        }
        for (JsonNode where : new JsonNode[] {answer, answer.get("data"), answer.get("instance")}) {
            if (where != null && where.isObject()) {
                for (String field : new String[] {"instance_name", "instanceName", "instance_id", "instanceId", "id"}) {
                    JsonNode v = where.get(field);
                    if (v != null && (v.isTextual() || v.isNumber()) && !v.asText().isBlank()) {
                        return Optional.of(v.asText());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private void requireKey(String operation) {
        if (config.key().variable().isEmpty()) {
            throw new RemoteCallException(ID, RemoteCallException.Kind.NOT_CONFIGURED, 0, "", null, "Hyperbolic " + operation
                    + " needs an API key, and this adapter was configured without one (only the marketplace listing is "
                    + "public): configure ApiKey.fromEnv with the variable that holds it", false, null);
        }
    }

    private static void requireOurs(String market, String what) {
        if (!ID.equals(market)) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, what + " belongs to market '" + market
                    + "', not Hyperbolic: pass it to that market's adapter");
        }
    }

    /** A node that is gone or taken (404, 409) is OFFER_GONE; anything else stays as it is. */
    private static RuntimeException refusal(RemoteCallException e, Offer offer) {
        int status = e.status().orElse(0);
        if (status == 404 || status == 409) {
            return new ComputeException(ID, ComputeException.Reason.OFFER_GONE, "node " + offer.offerId()
                    + " is no longer available (HTTP " + status + ": " + e.body() + "); ask for offers again", e);
        }
        return e;
    }
}
