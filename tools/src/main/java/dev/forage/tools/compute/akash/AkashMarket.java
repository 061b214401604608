package dev.forage.tools.compute.akash;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
import dev.forage.tools.compute.akash.ConsoleApi.Bid;
import dev.forage.tools.compute.akash.ConsoleApi.Coin;
import dev.forage.tools.compute.akash.ConsoleApi.Deployment;
import dev.forage.tools.compute.akash.ConsoleApi.LeaseInfo;
import dev.forage.tools.compute.akash.ConsoleApi.ResourceOffer;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.internal.KeyedLocks;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.ProviderResilience;
import dev.forage.tools.http.RemoteCallException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPU time on Akash through the Console managed-wallet API: the Console holds the wallet and
 * signs; Forage sends SDLs and picks bids.
 *
 * <p><b>Offers cost a deployment.</b> Akash has no price list to read: a price exists only as a
 * provider's bid on an open deployment. So {@link #offers} creates a <em>probe</em> deployment
 * from the {@link SdlTemplate} rendering of the spec ({@code POST /v1/deployments}), polls
 * {@code GET /v1/bids} (bids take about 30 s to arrive) and turns each open bid into an
 * {@link Offer}. A probe with no bids is closed at once; one with bids stays open for
 * {@link Config#probeTtl()} (its offers' {@link Offer#expiresAt()}), and is closed
 * ({@code DELETE /v1/deployments/{dseq}}) by the first call after that if no bid was taken, or by
 * {@link #closeUnusedProbes()} and {@link #close()}. Offers per spec are cached for
 * {@link Config#offerTtl()} (never longer than the probe lives), so repeated calls do not
 * create a deployment each.
 *
 * <p><b>Leasing</b> takes one bid of a probe ({@code POST /v1/leases} with the probe's manifest);
 * the probe becomes the lease's deployment and {@link Lease#id()} is its dseq. A lease is
 * idempotent by {@link LeaseTerms#idempotencyKey()} within this adapter: the same key and offer
 * give the same lease, a key that took another offer is refused; a retried {@code POST /v1/leases}
 * first checks whether its lease exists. {@link #extend} deposits more escrow
 * ({@code POST /v1/deposit-deployment}): an Akash lease has no end date, it runs while its escrow
 * lasts. {@link #release} closes the deployment.
 *
 * <p><b>Prices.</b> A bid is a price per block; per hour it is {@code amount × 600}
 * ({@link Prices#akashPerBlockToHourly}), rounded up to a base unit of the billing asset.
 * {@code uact} and Noble USDC ({@link #USDC_IBC_DENOM}) are micro-USD; any other denom
 * ({@code uakt}) needs a rate in {@link Config#microUsdPerUnit()}, else its bids are skipped.
 *
 * <p>Thread-safe. Every remote call runs in the adapter's {@link ProviderResilience}.
 */
public final class AkashMarket implements ComputeMarket, AutoCloseable {

    /** This market's id. */
    public static final String ID = "akash";
    /** Noble USDC on Akash over IBC, a micro-USD denom. */
    public static final String USDC_IBC_DENOM = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1";
    /** The Console API. */
    public static final String CONSOLE_API = "https://console-api.akash.network";

    private static final Logger LOG = LoggerFactory.getLogger(AkashMarket.class);

    /**
     * The two documented shapes of {@code POST /v1/leases}.
     */
    public enum LeaseRequest {
        /** The Console's schema: {@code {manifest, leases:[{dseq,gseq,oseq,provider}]}}, answered {@code {data:{deployment,...}}}. */
        SCHEMA,
        /** The older quickstart: {@code {dseq, bidId}}, answered with a bare {@code {dseq}}. */
        QUICKSTART
    }

    /** Waits between bid polls; tests replace it with one that moves a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        /** Waits {@code duration}. */
        void sleep(Duration duration) throws InterruptedException;

        /** {@link Thread#sleep(Duration)}. */
        static Sleeper real() {
            return Thread::sleep;
        }
    }

    /**
     * The adapter's settings.
     *
     * @param api the Console API: base URL, key variable, {@code x-api-key} header
     * @param template how specs become SDLs, with the most per GPU-hour and the denom
     * @param microUsdPerUnit for each denom accepted in bids, what one unit is worth in micro-USD
     * @param pollInterval the wait between bid polls
     * @param minBidWait how long bids are collected before the offers are returned (bids that
     *     come later are not seen)
     * @param bidDeadline how long to wait for a first bid before answering no offers
     * @param probeTtl how long a probe deployment with bids stays open for a lease (its offers' expiry)
     * @param offerTtl how long offers for a spec are served from the cache (zero: not cached; at
     *     most {@code probeTtl})
     * @param leaseRequest which shape {@code POST /v1/leases} is sent in
     * @param minimumDeposit the least {@link #extend} deposits (older Console docs asked $0.50 or $5)
     * @param resilience retry, breaker, time limiter and bulkhead settings
     */
    public record Config(JsonApi.Config api, SdlTemplate template, Map<String, BigDecimal> microUsdPerUnit, Duration pollInterval,
            Duration minBidWait, Duration bidDeadline, Duration probeTtl, Duration offerTtl, LeaseRequest leaseRequest,
            Money minimumDeposit, ProviderResilience.Settings resilience) {

        public Config {
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(template, "template");
            microUsdPerUnit = Map.copyOf(microUsdPerUnit);
            microUsdPerUnit.forEach((denom, rate) -> {
                if (rate.signum() <= 0) {
                    throw new IllegalArgumentException("rate of " + denom + " must be positive micro-USD per unit, got " + rate);
                }
            });
            BigDecimal own = microUsdPerUnit.get(template.denom());
            if (own == null || own.compareTo(template.microUsdPerUnit()) != 0) {
                throw new IllegalArgumentException("the template prices in " + template.denom() + " at "
                        + template.microUsdPerUnit() + " micro-USD per unit, but the rates say " + own + ": give one rate");
            }
            template.maxPricePerBlock(1);
            for (Duration d : new Duration[] {pollInterval, minBidWait, bidDeadline, probeTtl, offerTtl}) {
                if (d == null || d.isNegative()) {
                    throw new IllegalArgumentException("durations must not be negative, got " + d);
                }
            }
            if (pollInterval.isZero() || bidDeadline.isZero() || probeTtl.isZero()) {
                throw new IllegalArgumentException("pollInterval, bidDeadline and probeTtl must be positive");
            }
            if (minBidWait.compareTo(bidDeadline) > 0) {
                throw new IllegalArgumentException("minBidWait " + minBidWait + " must not exceed bidDeadline " + bidDeadline);
            }
            if (offerTtl.compareTo(probeTtl) > 0) {
                throw new IllegalArgumentException("offerTtl " + offerTtl + " must not exceed probeTtl " + probeTtl
                        + ": a cached offer must still have its deployment open");
            }
            Objects.requireNonNull(leaseRequest, "leaseRequest");
            Objects.requireNonNull(minimumDeposit, "minimumDeposit");
            if (!minimumDeposit.asset().equals(template.maxPricePerGpuHour().asset())) {
                throw new IllegalArgumentException("minimumDeposit is in " + minimumDeposit.asset() + ", the billing asset is "
                        + template.maxPricePerGpuHour().asset());
            }
            Objects.requireNonNull(resilience, "resilience");
        }

        /** The billing asset: the asset of the template's most per GPU-hour. */
        public Asset billing() {
            return template.maxPricePerGpuHour().asset();
        }

        /**
         * Settings with defaults: the public Console API, {@code uact} and Noble USDC at 1 micro-USD,
         * polls every 5 s, bids collected for 30 s, no offers after 120 s, probes open 5 min,
         * offers cached 30 s, the schema's lease request, deposits of at least 0.50 USD.
         *
         * @param key the API key's environment variable
         * @param maxPricePerGpuHour the most one GPU-hour may cost, in the billing asset
         */
        public static Builder builder(ApiKey key, Money maxPricePerGpuHour) {
            return new Builder(key, maxPricePerGpuHour);
        }
    }

    /** Builds a {@link Config}. */
    public static final class Builder {
        private JsonApi.Config api;
        private SdlTemplate template;
        private final Map<String, BigDecimal> rates = new HashMap<>();
        private Duration pollInterval = Duration.ofSeconds(5);
        private Duration minBidWait = Duration.ofSeconds(30);
        private Duration bidDeadline = Duration.ofSeconds(120);
        private Duration probeTtl = Duration.ofMinutes(5);
        private Duration offerTtl = Duration.ofSeconds(30);
        private LeaseRequest leaseRequest = LeaseRequest.SCHEMA;
        private Money minimumDeposit;
        private ProviderResilience.Settings resilience = ProviderResilience.Settings.defaults();

        private Builder(ApiKey key, Money maxPricePerGpuHour) {
            this.api = JsonApi.Config.of(ID, CONSOLE_API, key, JsonApi.Auth.header("x-api-key"));
            this.template = SdlTemplate.defaults(maxPricePerGpuHour);
            this.minimumDeposit = Money.of(maxPricePerGpuHour.asset(), "0.5");
            rates.put(SdlTemplate.UACT, BigDecimal.ONE);
            rates.put(USDC_IBC_DENOM, BigDecimal.ONE);
        }

        /** Another Console URL (tests: a local stub). */
        public Builder baseUrl(String url) {
            api = JsonApi.Config.of(ID, url, api.key(), api.auth()).withTimeout(api.timeout()).withMaxResponseBytes(api.maxResponseBytes());
            return this;
        }

        /** The limit of one HTTP request. */
        public Builder requestTimeout(Duration timeout) {
            api = api.withTimeout(timeout);
            return this;
        }

        /** Another template; its denom's rate is added to the rates. */
        public Builder template(SdlTemplate t) {
            template = t;
            return this;
        }

        /** Accepts bids in {@code denom}, one unit of which is worth {@code microUsd} micro-USD. */
        public Builder rate(String denom, BigDecimal microUsd) {
            rates.put(denom, microUsd);
            return this;
        }

        /** How bids are polled. */
        public Builder polling(Duration interval, Duration minWait, Duration deadline) {
            pollInterval = interval;
            minBidWait = minWait;
            bidDeadline = deadline;
            return this;
        }

        /** How long a probe deployment with bids stays open for a lease. */
        public Builder probeTtl(Duration ttl) {
            probeTtl = ttl;
            return this;
        }

        /** How long offers per spec are cached (zero: not cached). */
        public Builder offerTtl(Duration ttl) {
            offerTtl = ttl;
            return this;
        }

        /** The lease request's shape. */
        public Builder leaseRequest(LeaseRequest style) {
            leaseRequest = style;
            return this;
        }

        /** The least one extension deposits. */
        public Builder minimumDeposit(Money least) {
            minimumDeposit = least;
            return this;
        }

        /** Resilience settings. */
        public Builder resilience(ProviderResilience.Settings settings) {
            resilience = settings;
            return this;
        }

        /** The settings. */
        public Config build() {
            Map<String, BigDecimal> all = new HashMap<>(rates);
            all.putIfAbsent(template.denom(), template.microUsdPerUnit());
            return new Config(api, template, all, pollInterval, minBidWait, bidDeadline, probeTtl, offerTtl, leaseRequest,
                    minimumDeposit, resilience);
        }
    }

    /** A deployment made to collect bids, open until leased, closed, or past its time. */
    private record Probe(String dseq, String manifest, String image, Instant expiresAt, Map<String, Bid> bids) {}

    private final Config config;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ConsoleApi console;
    private final Asset billing;
    private final Cache<ComputeSpec, List<Offer>> offerCache;
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();
    private final Map<String, Lease> leasesByKey = new ConcurrentHashMap<>();
    private final Map<String, String> keyByLease = new ConcurrentHashMap<>();
    private final KeyedLocks keyLocks = new KeyedLocks();

    /**
     * @param http the JDK client (share one per process)
     * @param clock for bid waits, offer expiry, the cache and lease times
     * @param sleeper waits between bid polls
     */
    public AkashMarket(Config config, HttpClient http, Clock clock, Sleeper sleeper) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.console = new ConsoleApi(new JsonApi(config.api(), http, clock), ProviderResilience.of(ID, config.resilience()));
        this.billing = config.billing();
        this.offerCache = Caffeine.newBuilder()
                .expireAfterWrite(config.offerTtl())
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .maximumSize(1_000)
                .build();
    }

    /** The adapter with a shared-style JDK client, the system clock and real sleeps. */
    public static AkashMarket create(Config config) {
        return new AkashMarket(config, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), Clock.systemUTC(),
                Sleeper.real());
    }

    @Override
    public String id() {
        return ID;
    }

    /** The SDL {@link #offers} sends for {@code spec}. */
    public Sdl sdlFor(ComputeSpec spec) {
        return config.template().render(spec);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Creates a probe deployment unless the offers for {@code spec} are cached; waits for bids
     * up to {@link Config#bidDeadline()} on the injected clock and sleeper.
     */
    @Override
    public List<Offer> offers(ComputeSpec spec) {
        sweepExpiredProbes();
        List<Offer> cached = offerCache.getIfPresent(spec);
        if (cached != null) {
            List<Offer> live = cached.stream().filter(o -> probes.containsKey(o.details().get("dseq"))).toList();
            if (!live.isEmpty()) {
                return live;
            }
            offerCache.invalidate(spec);
        }
        Sdl sdl = sdlFor(spec);
        ConsoleApi.Created created = console.createDeployment(sdl.toYaml(), "forage " + spec.gpu() + " x" + spec.gpuCount());
        Instant opened = clock.instant();
        String image = sdl.services().values().iterator().next().image();
        Instant expires = opened.plus(config.probeTtl());
        Map<String, Bid> byOffer = new LinkedHashMap<>();
        List<Offer> offers = new ArrayList<>();
        List<Bid> bids;
        try {
            bids = awaitBids(created.dseq());
            String digest = sha256(created.manifest());
            for (Bid bid : bids) {
                toOffer(spec, bid, expires, digest).ifPresent(o -> {
                    offers.add(o);
                    byOffer.put(o.offerId(), bid);
                });
            }
        } catch (RuntimeException e) {
            // Nobody can lease from a deployment whose bids were not read: close it rather than leave it holding a deposit.
            closeQuietly(created.dseq(), "bids could not be read");
            throw e;
        }
        if (offers.isEmpty()) {
            LOG.info("akash: no usable bid for {} on deployment {} ({} bids); closing it", spec, created.dseq(), bids.size());
            closeQuietly(created.dseq(), "no usable bid");
            return List.of();
        }
        offers.sort(Comparator.comparing(Offer::pricePerHour).thenComparing(Offer::providerId));
        probes.put(created.dseq(), new Probe(created.dseq(), created.manifest(), image, expires, Map.copyOf(byOffer)));
        List<Offer> result = List.copyOf(offers);
        offerCache.put(spec, result);
        return result;
    }

    private List<Bid> awaitBids(String dseq) {
        Instant start = clock.instant();
        while (true) {
            List<Bid> open = console.bids(dseq).stream().filter(b -> b.state().equals("open") && b.dseq().equals(dseq)).toList();
            Duration elapsed = Duration.between(start, clock.instant());
            if (!open.isEmpty() && elapsed.compareTo(config.minBidWait()) >= 0 || elapsed.compareTo(config.bidDeadline()) >= 0) {
                return open;
            }
            Duration left = (open.isEmpty() ? config.bidDeadline() : config.minBidWait()).minus(elapsed);
            try {
                sleeper.sleep(left.compareTo(config.pollInterval()) < 0 ? left : config.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RemoteCallException(ID, RemoteCallException.Kind.CONNECTION, 0, "", null,
                        "interrupted while waiting for bids on akash deployment " + dseq, false, e);
            }
        }
    }

    private Optional<Offer> toOffer(ComputeSpec spec, Bid bid, Instant expires, String manifestDigest) {
        BigDecimal rate = config.microUsdPerUnit().get(bid.price().denom());
        if (rate == null) {
            LOG.info("akash: skipping bid of {} on {}: price in {} and no rate configured for it (add one with Builder.rate)",
                    bid.provider(), bid.dseq(), bid.price().denom());
            return Optional.empty();
        }
        if (bid.price().amount().signum() < 0) {
            LOG.info("akash: skipping bid of {} on {}: negative price {}", bid.provider(), bid.dseq(), bid.price().amount());
            return Optional.empty();
        }
        Money perHour = Prices.akashPerBlockToHourly(bid.price().amount().multiply(rate), billing);
        Resources resources = resources(spec, bid);
        if (!resources.satisfies(spec)) {
            LOG.info("akash: skipping bid of {} on {}: offers {} x {}, which does not satisfy {}", bid.provider(), bid.dseq(),
                    resources.gpuCount(), resources.gpuModel(), spec);
            return Optional.empty();
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("dseq", bid.dseq());
        details.put("gseq", Integer.toString(bid.gseq()));
        details.put("oseq", Integer.toString(bid.oseq()));
        details.put("provider", bid.provider());
        details.put("owner", bid.owner());
        details.put("price_denom", bid.price().denom());
        details.put("price_per_block", bid.price().amount().stripTrailingZeros().toPlainString());
        details.put("manifest", "probe deployment " + bid.dseq());
        details.put("manifest_sha256", manifestDigest);
        String offerId = bid.dseq() + "/" + bid.gseq() + "/" + bid.oseq() + "/" + bid.provider();
        return Optional.of(new Offer(ID, bid.provider(), offerId, resources, perHour, Money.zero(billing), expires, details));
    }

    /** What a bid provides. The region is the one the SDL required: the chain only accepts bids whose provider has it. */
    private static Resources resources(ComputeSpec spec, Bid bid) {
        long gpus = 0;
        long cpu = 0;
        long memory = 0;
        String model = null;
        int vram = 0;
        for (ResourceOffer r : bid.resources()) {
            gpus += (long) r.gpuUnits() * r.count();
            cpu += r.cpuMillis() * r.count();
            memory += r.memoryBytes() * r.count();
            for (String key : r.gpuAttributes()) {
                // vendor/<vendor>/model/<model>[/ram/<size>][/interface/<iface>]
                String[] parts = key.split("/");
                if (model == null && parts.length >= 4 && parts[0].equals("vendor") && parts[2].equals("model")) {
                    model = parts[3].equals("*") ? (spec.anyGpu() ? parts[1] : spec.gpu()) : parts[3];
                    for (int i = 4; i + 1 < parts.length; i += 2) {
                        if (parts[i].equals("ram")) {
                            vram = gib(parts[i + 1]);
                        }
                    }
                }
            }
        }
        return new Resources(model == null ? "" : model, (int) Math.min(Integer.MAX_VALUE, gpus), vram,
                (int) Math.min(Integer.MAX_VALUE, cpu), memory >> 20, spec.region());
    }

    private static int gib(String size) {
        try {
            return SdlUnits.bytes(size).shiftRight(30).min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
        } catch (IllegalArgumentException unknown) {
            return 0;
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws ComputeException OFFER_GONE when the offer's probe is closed, expired or leased to
     *     another key; INVALID_REQUEST for an offer of another market, a key that took another
     *     offer, or terms asking for an image other than the SDL's or for env (both are fixed in
     *     the probe's manifest: put the image in the spec)
     */
    @Override
    public Lease lease(Offer offer, LeaseTerms terms) {
        requireAkash(offer);
        return keyLocks.withLock(terms.idempotencyKey(), () -> leaseHoldingKey(offer, terms));
    }

    private Lease leaseHoldingKey(Offer offer, LeaseTerms terms) {
        Lease existing = leasesByKey.get(terms.idempotencyKey());
        if (existing != null) {
            if (existing.offer().offerId().equals(offer.offerId())) {
                return existing;
            }
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "idempotency key '" + terms.idempotencyKey()
                    + "' already took offer " + existing.offer().offerId() + " (lease " + existing.id() + "); use a new key for "
                    + offer.offerId());
        }
        sweepExpiredProbes();
        String dseq = offer.details().get("dseq");
        Probe probe = probes.get(dseq);
        if (probe == null || !clock.instant().isBefore(offer.expiresAt())) {
            throw new ComputeException(ID, ComputeException.Reason.OFFER_GONE, "offer " + offer.offerId()
                    + " is gone: its deployment " + dseq + " was leased, closed or expired; ask for offers again");
        }
        if (terms.image().isPresent() && !terms.image().get().equals(probe.image())) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "the lease asks for image "
                    + terms.image().get() + " but deployment " + dseq + " runs " + probe.image()
                    + ", fixed when the offers were made: give the image in the ComputeSpec");
        }
        if (!terms.env().isEmpty()) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "akash fixes the environment in the SDL "
                    + "when offers are made; the lease terms' env " + terms.env().keySet() + " cannot be applied");
        }
        Bid bid = probe.bids().get(offer.offerId());
        if (bid == null || !probes.remove(dseq, probe)) {
            throw new ComputeException(ID, ComputeException.Reason.OFFER_GONE, "offer " + offer.offerId()
                    + " is no longer open on deployment " + dseq + "; ask for offers again");
        }
        Lease lease;
        try {
            Instant start = clock.instant();
            Optional<Deployment> answer = console.createLease(bid, probe.manifest(), config.leaseRequest());
            Lease pending = new Lease(dseq, offer, List.of(), Lease.State.PENDING, start, Optional.empty(), Money.zero(billing),
                    baseDetails(offer));
            lease = answer.map(d -> toLease(pending, d)).orElse(pending);
        } catch (RuntimeException e) {
            // The deployment is still open: keep it as a probe, so that it is closed when it expires.
            probes.putIfAbsent(dseq, probe);
            throw e;
        }
        offerCache.asMap().values().removeIf(list -> list.stream().anyMatch(o -> dseq.equals(o.details().get("dseq"))));
        remember(terms.idempotencyKey(), lease);
        return lease;
    }

    /** {@inheritDoc} {@code GET /v1/deployments/{dseq}}. */
    @Override
    public Lease status(Lease lease) {
        requireAkash(lease.offer());
        Deployment d = notFoundIsLeaseNotFound(lease, () -> console.deployment(lease.id()));
        return update(toLease(lease, d));
    }

    /**
     * {@inheritDoc}
     *
     * <p>On Akash a lease runs while its deployment's escrow has funds, so extending means
     * depositing more ({@code POST /v1/deposit-deployment}): the hourly price for {@code more},
     * at least {@link Config#minimumDeposit()}, in US dollars. With the Console's automatic
     * funding the deposit is accepted for compatibility; unused escrow returns when the
     * deployment closes. The deposit is attempted once (a repeat would deposit twice); a
     * failure is the caller's to retry.
     *
     * @throws ComputeException LEASE_ENDED for an ended lease, LEASE_NOT_FOUND for an unknown one
     */
    @Override
    public Lease extend(Lease lease, Duration more) {
        requireAkash(lease.offer());
        if (more == null || more.isNegative() || more.isZero()) {
            throw new IllegalArgumentException("extension " + more + " must be positive");
        }
        if (lease.state().ended()) {
            throw new ComputeException(ID, ComputeException.Reason.LEASE_ENDED, "lease " + lease.id() + " is " + lease.state()
                    + "; it cannot be extended: lease again");
        }
        Money deposit = lease.offer().costFor(more);
        if (deposit.compareTo(config.minimumDeposit()) < 0) {
            deposit = config.minimumDeposit();
        }
        BigDecimal usd = new BigDecimal(deposit.units()).movePointLeft(billing.decimals());
        Deployment d = notFoundIsLeaseNotFound(lease, () -> console.deposit(lease.id(), usd));
        Lease extended = toLease(lease, d);
        Map<String, String> details = new LinkedHashMap<>(extended.details());
        details.put("last_deposit_usd", usd.toPlainString());
        return update(new Lease(extended.id(), extended.offer(), extended.endpoints(), extended.state(), extended.start(),
                extended.end(), extended.costSoFar(), details));
    }

    /** {@inheritDoc} {@code DELETE /v1/deployments/{dseq}}; an ended lease comes back as it is. */
    @Override
    public Lease release(Lease lease) {
        requireAkash(lease.offer());
        if (lease.state().ended()) {
            return lease;
        }
        boolean closed;
        try {
            closed = console.close(lease.id());
        } catch (RemoteCallException e) {
            if (e.status().orElse(0) == 404) {
                Lease now = status(lease);
                if (now.state().ended()) {
                    return now;
                }
            }
            throw e;
        }
        if (!closed) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "the Console did not close deployment "
                    + lease.id() + " (success: false); its lease keeps running and costing: close it in the Console");
        }
        Instant now = clock.instant();
        Money cost = max(lease.costSoFar(), Prices.prorate(hourly(lease, Optional.empty()), between(lease.start(), now)));
        Map<String, String> details = new LinkedHashMap<>(lease.details());
        details.put("deployment_state", "closed");
        return update(new Lease(lease.id(), lease.offer(), lease.endpoints(), Lease.State.CLOSED, lease.start(), Optional.of(now),
                cost, details));
    }

    /** Closes every probe deployment no lease took; returns how many were closed. */
    public int closeUnusedProbes() {
        int n = 0;
        for (Probe p : List.copyOf(probes.values())) {
            if (probes.remove(p.dseq(), p)) {
                n += closeQuietly(p.dseq(), "unused probe") ? 1 : 0;
            }
        }
        offerCache.invalidateAll();
        return n;
    }

    /** Closes unused probes (leases stay as they are). */
    @Override
    public void close() {
        closeUnusedProbes();
    }

    /** The dseqs of the probe deployments open now, for operators and tests. */
    public List<String> openProbes() {
        return probes.keySet().stream().sorted().toList();
    }

    // --- internals ----------------------------------------------------------------------------------

    private void sweepExpiredProbes() {
        Instant now = clock.instant();
        for (Probe p : List.copyOf(probes.values())) {
            if (!now.isBefore(p.expiresAt()) && probes.remove(p.dseq(), p)) {
                if (!closeQuietly(p.dseq(), "expired probe")) {
                    probes.putIfAbsent(p.dseq(), p);
                }
            }
        }
    }

    /** Closes a deployment nobody leased; a failure is logged, never thrown, as it does not change what the caller asked. */
    private boolean closeQuietly(String dseq, String why) {
        try {
            boolean ok = console.close(dseq);
            if (!ok) {
                LOG.warn("akash: closing deployment {} ({}) answered success: false; close it in the Console", dseq, why);
            }
            return ok;
        } catch (RuntimeException e) {
            LOG.warn("akash: could not close deployment {} ({}): {}; it is retried on the next call", dseq, why, e.getMessage());
            return false;
        }
    }

    private Lease toLease(Lease previous, Deployment d) {
        String provider = previous.offer().details().get("provider");
        int gseq = Integer.parseInt(previous.offer().details().get("gseq"));
        int oseq = Integer.parseInt(previous.offer().details().get("oseq"));
        Optional<LeaseInfo> mine = d.lease(gseq, oseq, provider);
        Lease.State state;
        if (d.state().equals("closed")) {
            state = Lease.State.CLOSED;
        } else if (mine.isEmpty()) {
            state = Lease.State.PENDING;
        } else {
            state = switch (mine.get().state()) {
                // A status absent from this answer says nothing of readiness: keep what was known.
                case "active" -> mine.get().status().map(s -> s.ready() ? Lease.State.ACTIVE : Lease.State.PENDING)
                        .orElse(previous.state().ended() ? Lease.State.PENDING : previous.state());
                case "closed", "insufficient_funds" -> Lease.State.CLOSED;
                case "invalid" -> Lease.State.FAILED;
                default -> Lease.State.PENDING;
            };
        }
        List<URI> endpoints = mine.flatMap(LeaseInfo::status).map(ConsoleApi.LeaseStatus::endpoints).orElse(previous.endpoints());
        Instant now = clock.instant();
        Optional<Instant> end = state.ended() ? Optional.of(previous.end().orElse(now)) : Optional.empty();
        Money estimate = Prices.prorate(hourly(previous, mine.flatMap(LeaseInfo::price)), between(previous.start(), end.orElse(now)));
        Money cost = max(max(previous.costSoFar(), settled(d)), estimate);
        Map<String, String> details = new LinkedHashMap<>(previous.details());
        details.put("deployment_state", d.state());
        mine.ifPresent(l -> details.put("lease_state", l.state()));
        d.escrowState().ifPresent(s -> details.put("escrow_state", s));
        return new Lease(previous.id(), previous.offer(), endpoints, state, previous.start(), end, cost, details);
    }

    /** The lease's hourly price: its on-chain price if convertible, else the offer's. */
    private Money hourly(Lease lease, Optional<Coin> price) {
        return price.flatMap(p -> Optional.ofNullable(config.microUsdPerUnit().get(p.denom()))
                .map(rate -> Prices.akashPerBlockToHourly(p.amount().multiply(rate), billing)))
                .orElse(lease.offer().pricePerHour());
    }

    /** What the escrow has paid out so far, in the denoms that have a rate. */
    private Money settled(Deployment d) {
        BigDecimal microUsd = BigDecimal.ZERO;
        for (Coin c : d.transferred()) {
            BigDecimal rate = config.microUsdPerUnit().get(c.denom());
            if (rate != null && c.amount().signum() > 0) {
                microUsd = microUsd.add(c.amount().multiply(rate));
            }
        }
        return Prices.usd(microUsd.movePointLeft(6), billing);
    }

    private static Duration between(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Money max(Money a, Money b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private Map<String, String> baseDetails(Offer offer) {
        Map<String, String> details = new LinkedHashMap<>();
        for (String k : new String[] {"dseq", "gseq", "oseq", "provider", "owner"}) {
            details.put(k, offer.details().getOrDefault(k, ""));
        }
        details.put("lease_request", config.leaseRequest().name().toLowerCase(java.util.Locale.ROOT));
        return details;
    }

    private void remember(String key, Lease lease) {
        leasesByKey.put(key, lease);
        keyByLease.put(lease.id(), key);
    }

    private Lease update(Lease lease) {
        String key = keyByLease.get(lease.id());
        if (key != null) {
            leasesByKey.put(key, lease);
        }
        return lease;
    }

    private Deployment notFoundIsLeaseNotFound(Lease lease, java.util.function.Supplier<Deployment> call) {
        try {
            return call.get();
        } catch (RemoteCallException e) {
            if (e.status().orElse(0) == 404) {
                throw new ComputeException(ID, ComputeException.Reason.LEASE_NOT_FOUND, "no deployment " + lease.id()
                        + " on akash (HTTP 404: " + e.body() + ")", e);
            }
            throw e;
        }
    }

    private static void requireAkash(Offer offer) {
        if (!ID.equals(offer.market())) {
            throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "offer " + offer.offerId() + " is from market "
                    + offer.market() + ", not akash");
        }
        for (String k : new String[] {"dseq", "gseq", "oseq", "provider"}) {
            String v = offer.details().get(k);
            if (v == null || v.isBlank() || (!k.equals("provider") && !v.matches("[0-9]{1,20}"))) {
                throw new ComputeException(ID, ComputeException.Reason.INVALID_REQUEST, "offer " + offer.offerId()
                        + " lacks the Akash detail '" + k + "'; take offers from AkashMarket.offers");
            }
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
