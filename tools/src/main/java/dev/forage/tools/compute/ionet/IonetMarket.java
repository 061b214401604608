package dev.forage.tools.compute.ionet;

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
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * io.net IO Cloud VMaaS as a {@link ComputeMarket}: GPU virtual machines, prepaid by the hour,
 * priced in USDC.
 *
 * <ul>
 *   <li>{@link #offers}: {@code GET /enterprise/v1/io-cloud/vmaas/hardware} (filters {@code gpu},
 *       {@code regions}, {@code gpu_family}, {@code gpu_memory_min}), then for each matching item,
 *       cheapest listed first and at most {@link Config#maxQuotes()} of them,
 *       {@code GET …/vmaas/price} for the spec's whole hours; the quote's
 *       {@code total_cost_usdc} divided by those hours, exact and rounded up, is the hourly price,
 *       and one hour of it is the offer's minimum charge (the first hour is never refunded).
 *       Quotes that answer 404 or 422 (a combination io.net does not sell) and items without free
 *       replicas are left out. Offers are cached per spec for {@link Config#offerTtl()}.
 *   <li>{@link #lease}: {@code POST …/vmaas/deploy} with exactly the documented
 *       {@code VMaasDeployRequest} fields. The deployment's {@code resource_private_name} is
 *       derived from the idempotency key ({@code forage-} and 20 hex digits of its SHA-256), and
 *       before deploying the adapter looks the name up in {@code GET …/vmaas/deployments}: taking
 *       an offer twice with one key deploys once. The 200 answer's schema is undocumented
 *       ({@code {}}, in practice often empty): an id in it ({@code data.id}, {@code id},
 *       {@code deployment_id}) is used, otherwise the deployment is found by its name in the
 *       same listing. The deploy itself is never retried automatically (a timed-out deploy may
 *       have happened); calling {@code lease} again with the same key finds it by name first.
 *   <li>{@link #status}: {@code GET …/vmaas/deployment/{id}}, and for a running one
 *       {@code GET …/deployment/{id}/vms} for its endpoints (network services as
 *       {@code tcp://ip:port}, the SSH access as {@code ssh://user@host:port}).
 *   <li>{@link #extend}: {@code POST …/deployment/{id}/extend {duration_hours}} for the added time
 *       in whole hours, never retried automatically (it is paid).
 *   <li>{@link #release}: {@code DELETE …/vmaas/deployment/{id}}; the cost is computed by
 *       {@link IonetBilling}: the first hour always, then the exact running time, the rest of
 *       the prepaid time refunded (in the lease's details).
 * </ul>
 *
 * A 422 from deploy or extend carries {@code {detail:[{loc,msg,type}]}}: it becomes a
 * non-retriable INVALID_REQUEST whose message lists each {@code loc: msg (type)}. Thread-safe.
 */
public final class IonetMarket implements ComputeMarket {

    /** The market id. */
    public static final String ID = "ionet";
    /** io.net's IO Cloud API. */
    public static final String DEFAULT_BASE_URL = "https://api.io.solutions";
    /** The longest prepaid duration io.net accepts, in hours. */
    public static final int MAX_DURATION_HOURS = 8760;
    /** The most GPUs one VM can have. */
    public static final int MAX_GPUS_PER_VM = 8;

    static final String VMAAS = "enterprise/v1/io-cloud/vmaas/";

    /** The key in {@code x-api-key}: the current IO Cloud API key mode. */
    public static JsonApi.Auth apiKeyAuth() {
        return JsonApi.Auth.header("x-api-key");
    }

    /**
     * The older mode: a JWT (from the IO Cloud web session, valid 21 days) in header
     * {@code token}; some endpoints still document it.
     */
    public static JsonApi.Auth legacyTokenAuth() {
        return JsonApi.Auth.header("token");
    }

    /**
     * How to reach and use io.net.
     *
     * @param baseUrl the API's base URL
     * @param key the API key, by environment variable name
     * @param auth how the key is sent: {@link #apiKeyAuth()} or {@link #legacyTokenAuth()}
     * @param billing the billing asset (USDC, 6 decimals): io.net prices in USD(C)
     * @param timeout the limit for one HTTP request
     * @param resilience retry, breaker, time limiter and bulkhead settings
     * @param offerTtl how long offers for one spec are served from cache (zero: not cached)
     * @param maxQuotes how many hardware items, cheapest listed first, are priced per call
     * @param sshKeys OpenSSH public keys to put on the VMs, by name (public keys, not secrets)
     * @param vmImageType {@code general} or {@code datascience}; empty for io.net's default
     * @param gpuFamilies GPU model names for the {@code gpu_family} filter; empty for none
     */
    public record Config(String baseUrl, ApiKey key, JsonApi.Auth auth, Asset billing, Duration timeout,
            ProviderResilience.Settings resilience, Duration offerTtl, int maxQuotes, Map<String, String> sshKeys,
            Optional<String> vmImageType, List<String> gpuFamilies) {

        public Config {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(auth, "auth");
            Objects.requireNonNull(billing, "billing");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(resilience, "resilience");
            if (offerTtl == null || offerTtl.isNegative()) {
                throw new IllegalArgumentException("io.net offerTtl " + offerTtl + " must be zero or positive, e.g. PT30S");
            }
            if (maxQuotes < 1 || maxQuotes > 100) {
                throw new IllegalArgumentException("io.net maxQuotes " + maxQuotes + " must be 1 to 100");
            }
            sshKeys = java.util.Collections.unmodifiableMap(new TreeMap<>(sshKeys));
            Objects.requireNonNull(vmImageType, "vmImageType");
            gpuFamilies = List.copyOf(gpuFamilies);
        }

        /**
         * io.net at {@link #DEFAULT_BASE_URL} with {@code x-api-key}, 30 s requests, default
         * resilience, offers cached 30 s, 10 quotes per call, no SSH keys.
         */
        public static Config of(ApiKey key, Asset billing) {
            return new Config(DEFAULT_BASE_URL, key, apiKeyAuth(), billing, Duration.ofSeconds(30),
                    ProviderResilience.Settings.defaults(), Duration.ofSeconds(30), 10, Map.of(), Optional.empty(), List.of());
        }

        /** This config with another base URL (a test server, a proxy). */
        public Config withBaseUrl(String url) {
            return new Config(url, key, auth, billing, timeout, resilience, offerTtl, maxQuotes, sshKeys, vmImageType,
                    gpuFamilies);
        }

        /** This config sending the key another way. */
        public Config withAuth(JsonApi.Auth how) {
            return new Config(baseUrl, key, how, billing, timeout, resilience, offerTtl, maxQuotes, sshKeys, vmImageType,
                    gpuFamilies);
        }

        /** This config with another request timeout. */
        public Config withTimeout(Duration t) {
            return new Config(baseUrl, key, auth, billing, t, resilience, offerTtl, maxQuotes, sshKeys, vmImageType,
                    gpuFamilies);
        }

        /** This config with other resilience settings. */
        public Config withResilience(ProviderResilience.Settings s) {
            return new Config(baseUrl, key, auth, billing, timeout, s, offerTtl, maxQuotes, sshKeys, vmImageType,
                    gpuFamilies);
        }

        /** This config caching offers for {@code ttl}. */
        public Config withOfferTtl(Duration ttl) {
            return new Config(baseUrl, key, auth, billing, timeout, resilience, ttl, maxQuotes, sshKeys, vmImageType,
                    gpuFamilies);
        }

        /** This config pricing at most {@code n} hardware items per offers call. */
        public Config withMaxQuotes(int n) {
            return new Config(baseUrl, key, auth, billing, timeout, resilience, offerTtl, n, sshKeys, vmImageType,
                    gpuFamilies);
        }

        /** This config putting these public keys on every VM. */
        public Config withSshKeys(Map<String, String> keys) {
            return new Config(baseUrl, key, auth, billing, timeout, resilience, offerTtl, maxQuotes, keys, vmImageType,
                    gpuFamilies);
        }

        /** This config asking for the {@code general} or {@code datascience} VM image. */
        public Config withVmImageType(String type) {
            return new Config(baseUrl, key, auth, billing, timeout, resilience, offerTtl, maxQuotes, sshKeys,
                    Optional.of(type), gpuFamilies);
        }

        /** This config filtering the hardware list by these GPU model names. */
        public Config withGpuFamilies(List<String> families) {
            return new Config(baseUrl, key, auth, billing, timeout, resilience, offerTtl, maxQuotes, sshKeys, vmImageType,
                    families);
        }
    }

    private final Config config;
    private final JsonApi api;
    private final ProviderResilience resilience;
    private final Clock clock;
    private final Cache<ComputeSpec, List<Offer>> offerCache;
    /** Names this process deployed in the last day: never deployed again, only looked up (the listing may lag). */
    private final Cache<String, Boolean> deployed;

    /**
     * @param http the JDK client (share one per process)
     * @param clock for lease times and costs
     * @param ticker for the offer cache's TTL (tests pass a fake)
     */
    public IonetMarket(Config config, HttpClient http, Clock clock, Ticker ticker) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.api = new JsonApi(JsonApi.Config.of(ID, config.baseUrl(), config.key(), config.auth())
                .withTimeout(config.timeout()), http, clock);
        this.resilience = ProviderResilience.of(ID, config.resilience());
        this.offerCache = Caffeine.newBuilder().expireAfterWrite(config.offerTtl()).maximumSize(256)
                .ticker(Objects.requireNonNull(ticker, "ticker")).build();
        this.deployed = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(1)).maximumSize(10_000).ticker(ticker).build();
    }

    /** An adapter with its own HTTP client, the system clock and ticker. */
    public static IonetMarket create(Config config) {
        return new IonetMarket(config, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
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
        OptionalLong hours = wholeHours(spec.duration());
        if (spec.gpuCount() > MAX_GPUS_PER_VM || hours.isEmpty()) {
            // io.net VMs carry at most 8 GPUs and are prepaid for at most a year: nothing fits.
            return List.of();
        }
        List<Map.Entry<String, String>> query = new ArrayList<>();
        if (!spec.anyGpu()) {
            query.add(Map.entry("gpu", spec.gpu()));
        }
        spec.region().ifPresent(r -> query.add(Map.entry("regions", r)));
        config.gpuFamilies().forEach(f -> query.add(Map.entry("gpu_family", f)));
        if (spec.minVramGib() > 0) {
            query.add(Map.entry("gpu_memory_min", Integer.toString(spec.minVramGib())));
        }
        String path = VMAAS + "hardware";
        JsonNode answer = resilience.call("list hardware", () -> api.get(path, query)).json();
        JsonFields f = JsonFields.of(ID, "GET /" + path);
        JsonNode items = f.array(f.object(answer, "data"), "hardware");

        List<Candidate> candidates = new ArrayList<>();
        for (JsonNode item : items) {
            Candidate c = candidate(f, item, spec);
            if (c.resources().satisfies(spec) && c.cards() >= spec.gpuCount()) {
                candidates.add(c);
            }
        }
        candidates.sort(Comparator.comparing(Candidate::listedPrice));
        Instant now = clock.instant();
        List<Offer> offers = new ArrayList<>();
        for (Candidate c : candidates.subList(0, Math.min(candidates.size(), config.maxQuotes()))) {
            quote(c, spec.gpuCount(), hours.getAsLong(), now).ifPresent(offers::add);
        }
        offers.sort(Comparator.comparing(Offer::pricePerHour));
        return List.copyOf(offers);
    }

    private record Candidate(String itemId, String deployId, String name, int cards, BigDecimal listedPrice,
            Optional<String> location, Resources resources, Map<String, String> facts) {}

    private Candidate candidate(JsonFields f, JsonNode item, ComputeSpec spec) {
        String itemId = f.text(item, "id");
        String deployId = f.text(item, "deploy_id");
        String name = f.text(item, "name");
        int cards = Math.toIntExact(f.integer(item, "num_cards"));
        String supplier = f.text(item, "supplier");
        BigDecimal listed = f.decimal(item, "price");
        int vram = Math.toIntExact(f.optionalInteger(item, "vram_per_card").orElse(0));
        int vcpu = Math.toIntExact(f.optionalInteger(item, "vcpu").orElse(0));
        long memoryGb = f.optionalInteger(item, "memory").orElse(0);
        // The item's own location wins; without one, the asked region is where it is priced.
        Optional<String> location = f.optionalText(item, "location").or(spec::region);
        Resources resources = new Resources(name, Math.min(cards, spec.gpuCount()), Math.max(0, vram),
                Math.max(0, vcpu) * 1000, Math.max(0, memoryGb) * 1024, location);
        Map<String, String> facts = new TreeMap<>();
        facts.put("hardware_item_id", itemId);
        facts.put("supplier", supplier);
        facts.put("listed_price_usd_per_hour", listed.toPlainString());
        f.optionalText(item, "interconnect").ifPresent(i -> facts.put("interconnect", i));
        f.optionalBoolean(item, "nvlink").ifPresent(n -> facts.put("nvlink", n.toString()));
        f.optionalInteger(item, "storage").ifPresent(s -> facts.put("storage", Long.toString(s)));
        return new Candidate(itemId, deployId, name, cards, listed, location, resources, facts);
    }

    private Optional<Offer> quote(Candidate c, int gpus, long hours, Instant now) {
        if (c.location().isEmpty()) {
            // The price endpoint requires location_ids: an item io.net does not place cannot be quoted.
            return Optional.empty();
        }
        String path = VMAAS + "price";
        List<Map.Entry<String, String>> query = JsonApi.query("location_ids", c.location().get(), "hardware_id", c.deployId(),
                "currency", "usdc", "duration_hours", Long.toString(hours), "gpus_per_vm", Integer.toString(gpus),
                "replica_count", "1");
        JsonNode answer;
        try {
            answer = resilience.call("quote price", () -> api.get(path, query)).json();
        } catch (RemoteCallException e) {
            if (e.status().isPresent() && (e.status().getAsInt() == 404 || e.status().getAsInt() == 422)) {
                return Optional.empty();
            }
            throw e;
        }
        JsonFields f = JsonFields.of(ID, "GET /" + path);
        JsonNode data = f.object(answer, "data");
        BigDecimal total = f.decimal(data, "total_cost_usdc");
        Optional<JsonNode> available = f.optional(data, "available_replica_count");
        if (available.isPresent() && available.get().isArray() && !available.get().isEmpty()) {
            boolean any = false;
            for (JsonNode n : available.get()) {
                any |= n.asLong() > 0;
            }
            if (!any) {
                return Optional.empty();
            }
        }
        Money perHour = Prices.usdPerHour(total, hours, config.billing());
        Map<String, String> details = new TreeMap<>(c.facts());
        details.put("hardware_id", c.deployId());
        details.put("location_id", c.location().get());
        details.put("gpus_per_vm", Integer.toString(gpus));
        details.put("quote_duration_hours", Long.toString(hours));
        details.put("quote_total_usdc", total.toPlainString());
        available.ifPresent(a -> details.put("available_replica_count", a.toString()));
        return Optional.of(new Offer(ID, c.itemId(), c.deployId(), c.resources(), perHour, perHour,
                now.plus(config.offerTtl()), details));
    }

    @Override
    public Lease lease(Offer offer, LeaseTerms terms) {
        requireOurs(offer.market(), "offer " + offer.offerId());
        if (terms.image().isPresent()) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "lease field image = '"
                    + terms.image().get() + "' cannot be honoured: io.net VMaaS rents whole VMs, not containers; "
                    + "leave the image empty and choose a VM image type in the config");
        }
        if (!terms.env().isEmpty()) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "lease field env " + terms.env().keySet()
                    + " cannot be honoured: io.net VMaaS VMs take no environment; leave it empty");
        }
        long hours = ceilHours(terms.duration());
        String name = privateName(terms.idempotencyKey());
        DeployRequest request = new DeployRequest(name, hours, parseGpus(offer), offer.offerId(),
                Optional.ofNullable(offer.details().get("location_id")), config.sshKeys(), config.vmImageType());

        Optional<Lease> existing = resilience.call("find deployment", () -> findByName(name, offer, hours));
        if (existing.isPresent()) {
            return existing.get();
        }
        if (deployed.getIfPresent(name) == null) {
            JsonNode answer = resilience.callOnce("deploy", () -> {
                try {
                    return api.post(VMAAS + "deploy", request.toJson()).json();
                } catch (RemoteCallException e) {
                    throw refusal(e, "deploy " + name);
                }
            });
            deployed.put(name, Boolean.TRUE);
            Optional<String> id = deploymentId(answer);
            if (id.isPresent()) {
                return pending(id.get(), offer, hours, name);
            }
        }
        // Deployed (now or earlier) without an id in the answer: find it by name, retrying while
        // the listing catches up; it is never deployed twice.
        return resilience.call("find deployment", () -> findByName(name, offer, hours).orElseThrow(() ->
                new RemoteCallException(ID, RemoteCallException.Kind.MALFORMED_RESPONSE, 0, "", null, "io.net accepted "
                        + "deployment " + name + " but does not list it yet; call lease again with the same idempotency "
                        + "key: it looks the deployment up by name and does not deploy twice", true, null)));
    }

    @Override
    public Lease status(Lease lease) {
        requireOurs(lease.offer().market(), "lease " + lease.id());
        String path = VMAAS + "deployment/" + JsonApi.pathSegment(lease.id());
        JsonNode answer = resilience.call("deployment status", () -> {
            try {
                return api.get(path, List.of()).json();
            } catch (RemoteCallException e) {
                throw notFoundOr(e, lease);
            }
        });
        Lease now = fromDetails(lease, JsonFields.of(ID, "GET /" + path), answer, prepaidHours(lease), lease.endpoints());
        if (now.state() == Lease.State.ACTIVE) {
            List<URI> endpoints = resilience.call("deployment vms", () -> endpoints(lease.id()));
            now = new Lease(now.id(), now.offer(), endpoints, now.state(), now.start(), now.end(), now.costSoFar(),
                    now.details());
        }
        return now;
    }

    @Override
    public Lease extend(Lease lease, Duration more) {
        requireOurs(lease.offer().market(), "lease " + lease.id());
        if (lease.state().ended()) {
            throw new ComputeException(ID, ComputeException.Reason.LEASE_ENDED, "lease " + lease.id() + " is "
                    + lease.state() + "; it cannot be extended: lease anew");
        }
        long hours = ceilHours(more);
        if (hours < 1 || hours > MAX_DURATION_HOURS) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "extend field duration_hours = "
                    + hours + " (from " + more + ") must be 1 to " + MAX_DURATION_HOURS + " whole hours; nothing was sent");
        }
        String path = VMAAS + "deployment/" + JsonApi.pathSegment(lease.id()) + "/extend";
        ObjectNode body = JsonApi.MAPPER.createObjectNode().put("duration_hours", hours);
        JsonNode answer = resilience.callOnce("extend", () -> {
            try {
                return api.post(path, body).json();
            } catch (RemoteCallException e) {
                throw refusal(notFoundOr(e, lease), "extend " + lease.id());
            }
        });
        return fromDetails(lease, JsonFields.of(ID, "POST /" + path), answer, prepaidHours(lease) + hours, lease.endpoints());
    }

    @Override
    public Lease release(Lease lease) {
        requireOurs(lease.offer().market(), "lease " + lease.id());
        if (lease.state().ended()) {
            return lease;
        }
        String path = VMAAS + "deployment/" + JsonApi.pathSegment(lease.id());
        boolean gone = resilience.call("delete deployment", () -> {
            try {
                api.delete(path);
                return false;
            } catch (RemoteCallException e) {
                if (e.status().orElse(0) == 404) {
                    return true;
                }
                throw e;
            }
        });
        Instant now = clock.instant();
        long prepaid = prepaidHours(lease);
        Duration used = Duration.between(lease.start(), now);
        used = used.isNegative() ? Duration.ZERO : used;
        Money charged = IonetBilling.charged(lease.offer().pricePerHour(), prepaid, used);
        Money refund = IonetBilling.prepaid(lease.offer().pricePerHour(), prepaid).minus(charged);
        Map<String, String> details = new TreeMap<>(lease.details());
        details.put("released_at", now.toString());
        details.put("charged_usdc", charged.toDecimalString());
        details.put("refund_usdc", refund.toDecimalString());
        if (gone) {
            details.put("release_note", "io.net no longer knew the deployment (404)");
        }
        return new Lease(lease.id(), lease.offer(), lease.endpoints(), Lease.State.CLOSED, lease.start(),
                Optional.of(now), charged, details);
    }

    /** The {@code resource_private_name} for an idempotency key: {@code forage-} and 20 hex digits of its SHA-256. */
    static String privateName(String idempotencyKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
            return "forage-" + HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Whole hours, rounded up: io.net prepays and extends by the hour. */
    static long ceilHours(Duration d) {
        return d.toHours() + (d.equals(Duration.ofHours(d.toHours())) ? 0 : 1);
    }

    /** {@link #ceilHours} when between 1 and {@link #MAX_DURATION_HOURS}. */
    private static OptionalLong wholeHours(Duration d) {
        long hours = ceilHours(d);
        return hours >= 1 && hours <= MAX_DURATION_HOURS ? OptionalLong.of(hours) : OptionalLong.empty();
    }

    private static int parseGpus(Offer offer) {
        String gpus = offer.details().get("gpus_per_vm");
        try {
            return gpus == null ? offer.resources().gpuCount() : Integer.parseInt(gpus);
        } catch (NumberFormatException e) {
            return offer.resources().gpuCount();
        }
    }

    private static long prepaidHours(Lease lease) {
        String h = lease.details().get("duration_hours");
        try {
            return h == null ? 1 : Math.max(1, Long.parseLong(h));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void requireOurs(String market, String what) {
        if (!ID.equals(market)) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, what + " belongs to market '" + market
                    + "', not io.net: pass it to that market's adapter");
        }
    }

    private Lease pending(String id, Offer offer, long hours, String name) {
        Instant now = clock.instant();
        Map<String, String> details = new TreeMap<>();
        details.put("resource_private_name", name);
        details.put("duration_hours", Long.toString(hours));
        details.put("hardware_id", offer.offerId());
        Optional.ofNullable(offer.details().get("location_id")).ifPresent(l -> details.put("location_id", l));
        details.put("status", "deployment requested");
        return new Lease(id, offer, List.of(), Lease.State.PENDING, now, Optional.of(now.plus(Duration.ofHours(hours))),
                IonetBilling.charged(offer.pricePerHour(), hours, Duration.ZERO), details);
    }

    private Optional<Lease> findByName(String name, Offer offer, long hours) {
        String path = VMAAS + "deployments";
        JsonNode answer = api.get(path, JsonApi.query("page_size", "100")).json();
        JsonFields f = JsonFields.of(ID, "GET /" + path);
        JsonNode data = f.optional(answer, "data").orElseThrow(() -> f.malformed("no 'data'"));
        JsonNode list = data.isArray() ? data : f.array(data, "deployments");
        for (JsonNode d : list) {
            String listed = f.optionalText(d, "resource_private_name").or(() -> f.optionalText(d, "name")).orElse("");
            if (listed.equals(name)) {
                Lease base = pending(f.text(d, "id"), offer, hours, name);
                return Optional.of(fromDetails(base, f, d, hours, List.of()));
            }
        }
        return Optional.empty();
    }

    /** The deployment id in the deploy answer, if io.net put one there (its schema is undocumented). */
    private static Optional<String> deploymentId(JsonNode answer) {
        if (answer == null || !answer.isObject()) {
            return Optional.empty();
        }
        for (JsonNode where : new JsonNode[] {answer.get("data"), answer}) {
            if (where != null && where.isObject()) {
                for (String field : new String[] {"id", "deployment_id", "deploymentId"}) {
                    JsonNode v = where.get(field);
                    if (v != null && (v.isTextual() || v.isNumber()) && !v.asText().isBlank()) {
                        return Optional.of(v.asText());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The lease as {@code data} (a deployment details object, or a listing entry) describes it. */
    private Lease fromDetails(Lease base, JsonFields f, JsonNode answer, long prepaid, List<URI> endpoints) {
        JsonNode d = answer.has("data") && answer.get("data").isObject() ? answer.get("data") : answer;
        String id = f.text(d, "id");
        String status = f.text(d, "status");
        Instant now = clock.instant();
        Instant start = f.optionalInstant(d, "started_at").or(() -> f.optionalInstant(d, "created_at")).orElse(base.start());
        Optional<Instant> finished = f.optionalInstant(d, "finished_at");
        OptionalLong served = f.optionalInteger(d, "compute_minutes_served");
        OptionalLong remaining = f.optionalInteger(d, "compute_minutes_remaining");
        Lease.State state = state(status);

        Duration used;
        if (served.isPresent()) {
            used = Duration.ofMinutes(Math.max(0, served.getAsLong()));
        } else {
            Instant until = finished.orElse(state.ended() ? start : now);
            used = until.isAfter(start) ? Duration.between(start, until) : Duration.ZERO;
        }
        Optional<Instant> end = finished.isPresent() ? finished
                : remaining.isPresent() && !state.ended() ? Optional.of(now.plus(Duration.ofMinutes(Math.max(0, remaining.getAsLong()))))
                : Optional.of(start.plus(Duration.ofHours(prepaid)));

        Map<String, String> details = new TreeMap<>(base.details());
        details.put("status", status);
        details.put("duration_hours", Long.toString(prepaid));
        f.optionalDecimal(d, "amount_paid").ifPresent(a -> details.put("amount_paid_usd", a.toPlainString()));
        served.ifPresent(m -> details.put("compute_minutes_served", Long.toString(m)));
        remaining.ifPresent(m -> details.put("compute_minutes_remaining", Long.toString(m)));
        f.optionalText(d, "hardware_name").ifPresent(h -> details.put("hardware_name", h));
        f.optionalText(d, "brand_name").ifPresent(b -> details.put("brand_name", b));
        f.optionalDecimal(d, "completed_percent").ifPresent(p -> details.put("completed_percent", p.toPlainString()));
        Money cost = IonetBilling.charged(base.offer().pricePerHour(), prepaid, used);
        return new Lease(id, base.offer(), endpoints, state, start, end, cost, details);
    }

    /**
     * io.net's deployment statuses ({@code deployment requested}, {@code running},
     * {@code completed}, {@code failed}, {@code termination requested}, {@code destroyed}); an
     * unknown one is PENDING (its text stays in the details).
     */
    static Lease.State state(String status) {
        return switch (status.strip().toLowerCase(Locale.ROOT)) {
            case "running" -> Lease.State.ACTIVE;
            case "completed", "destroyed", "termination requested" -> Lease.State.CLOSED;
            case "failed" -> Lease.State.FAILED;
            default -> Lease.State.PENDING;
        };
    }

    private List<URI> endpoints(String id) {
        String path = VMAAS + "deployment/" + JsonApi.pathSegment(id) + "/vms";
        JsonNode answer = api.get(path, JsonApi.query("page_size", "100")).json();
        JsonFields f = JsonFields.of(ID, "GET /" + path);
        JsonNode workers = f.array(f.object(answer, "data"), "workers");
        Set<URI> out = new LinkedHashSet<>();
        for (JsonNode w : workers) {
            f.optional(w, "network_services").filter(JsonNode::isObject).ifPresent(services -> services.forEach(s -> {
                Optional<String> ip = f.optionalText(s, "public_ip");
                OptionalLong port = f.optionalInteger(s, "public_port");
                String protocol = f.optionalText(s, "protocol").orElse("tcp").toLowerCase(Locale.ROOT);
                if (ip.isPresent() && port.isPresent() && port.getAsLong() > 0 && port.getAsLong() < 65536) {
                    try {
                        out.add(new URI(protocol, null, ip.get(), (int) port.getAsLong(), null, null, null));
                    } catch (URISyntaxException ignored) {
                        // Not an address: nothing to connect to.
                    }
                }
            }));
            f.optionalText(w, "ssh_access").flatMap(SshEndpoints::fromCommand).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    private static RuntimeException notFoundOr(RemoteCallException e, Lease lease) {
        if (e.status().orElse(0) == 404) {
            return new ComputeException(ID, ComputeException.Reason.LEASE_NOT_FOUND, "deployment " + lease.id()
                    + " does not exist on io.net (404): " + e.body(), e);
        }
        return e;
    }

    /** A 422 becomes an INVALID_REQUEST listing io.net's validation details; anything else stays as it is. */
    private static RuntimeException refusal(RuntimeException failure, String what) {
        if (failure instanceof RemoteCallException e && e.status().orElse(0) == 422) {
            return new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "io.net refused " + what + " (422): "
                    + validationDetails(e.body()) + "; fix the request", e);
        }
        return failure;
    }

    /** {@code {detail:[{loc,msg,type}]}} as {@code loc.path: msg (type); …}, or the body itself. */
    static String validationDetails(String body) {
        try {
            JsonNode detail = JsonApi.MAPPER.readTree(body).get("detail");
            if (detail == null) {
                return body;
            }
            if (detail.isTextual()) {
                return detail.asText();
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode d : detail) {
                List<String> loc = new ArrayList<>();
                d.path("loc").forEach(l -> loc.add(l.asText()));
                parts.add(String.join(".", loc) + ": " + d.path("msg").asText("?") + " (" + d.path("type").asText("?") + ")");
            }
            return parts.isEmpty() ? body : String.join("; ", parts);
        } catch (java.io.IOException | RuntimeException e) {
            return body;
        }
    }
}
