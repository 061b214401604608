package dev.forage.tools.compute.hyperbolic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.forage.policies.Money;
import dev.forage.tools.compute.ComputeException;
import dev.forage.tools.compute.ComputeMarket;
import dev.forage.tools.compute.ComputeMarketContract;
import dev.forage.tools.compute.ComputeSpec;
import dev.forage.tools.compute.Lease;
import dev.forage.tools.compute.LeaseTerms;
import dev.forage.tools.compute.Offer;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.http.RemoteCallException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link HyperbolicMarket} against WireMock stubs written from the marketplace docs
 * (docs.hyperbolic.xyz/docs/marketplace-api: the listing's shape) and, for the paths only
 * clients show (instances, terminate), from those clients; unknown fields everywhere, and the
 * quirks: price units, reserved and busy nodes, a create answer without an id.
 */
class HyperbolicMarketTest extends ComputeMarketContract {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String LIST = "/v1/marketplace";
    private static final String INSTANCES = "/v1/marketplace/instances";
    private static final String CREATE = "/v1/marketplace/instances/create";
    private static final String TERMINATE = "/v1/marketplace/instances/terminate";
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final AtomicLong ticks = new AtomicLong();

    private HyperbolicMarket.Config config() {
        return HyperbolicMarket.Config.of(ApiKey.fromEnv(KEY_VARIABLE, environment::get), USDC).withBaseUrl(wm.baseUrl())
                .withResilience(RESILIENCE).withTimeout(Duration.ofSeconds(5));
    }

    @Override
    protected ComputeMarket market() {
        return market(config());
    }

    private HyperbolicMarket market(HyperbolicMarket.Config c) {
        return new HyperbolicMarket(c, HTTP, clock, ticks::get);
    }

    @Override
    protected ComputeSpec spec() {
        return ComputeSpec.of("h100", 2, Duration.ofHours(1));
    }

    private static String node(String id, String cluster, String status, String model, int total, int reserved,
            boolean fullyReserved, String amount, String region) {
        return """
                {"id": "%s", "status": "%s",
                 "hardware": {"cpus": [{"hardware_type": "cpu", "model": "AMD EPYC 9654", "cores": 96, "virtual_cores": 192}],
                   "gpus": [{"hardware_type": "gpu", "model": "%s", "clock_speed": 1980, "compute_power": 989,
                     "ram": 81559, "interface": "SXM5", "temp_c": 40}],
                   "storage": [{"hardware_type": "storage", "capacity": 30720}],
                   "ram": [{"hardware_type": "ram", "capacity": 2063736}]},
                 "instances": [{"id": "x-1", "status": "online", "hardware": [{"gpu": {"hardware_type": "gpu", "model": "%s", "ram": 81559}}]}],
                 "location": {"region": "%s"}, "network": {}, "gpus_total": %d, "gpus_reserved": %d,
                 "has_persistent_storage": true, "supplier_id": "supplier-%s",
                 "pricing": {"price": {"amount": %s, "period": "hour", "agent": "platform"}, "tier": "spot"},
                 "reserved": %s, "cluster_name": "%s", "rating": 4.8}
                """.formatted(id, status, model, model, region, total, reserved, id, amount, fullyReserved, cluster);
    }

    private void stubListing(String... nodes) {
        wm.stubFor(post(urlPathEqualTo(LIST)).willReturn(json("{\"instances\": [" + String.join(",", nodes) + "], \"total\": "
                + nodes.length + "}")));
    }

    @Override
    protected void stubOffers() {
        stubListing(
                node("node-a.fen.intra", "sunny-fern-owl", "node_ready", "NVIDIA-H100-80GB-HBM3", 8, 3, false, "1.49", "us-central-1"),
                node("node-b.fen.intra", "brave-tiger-cub", "node_ready", "NVIDIA-H100-80GB-HBM3", 4, 0, false, "1.29", "us-east-1"),
                node("node-c.fen.intra", "quiet-lake-elk", "node_ready", "NVIDIA-H100-80GB-HBM3", 8, 0, true, "0.99", "us-east-1"),
                node("node-d.fen.intra", "busy-bee-hive", "node_busy", "NVIDIA-H100-80GB-HBM3", 8, 0, false, "0.89", "eu-west-1"),
                node("node-e.fen.intra", "amber-oak-fox", "node_ready", "NVIDIA-A100-SXM4-80GB", 8, 0, false, "0.79", "us-west-1"),
                node("node-f.fen.intra", "lone-wolf-den", "node_ready", "NVIDIA-H100-80GB-HBM3", 8, 7, false, "0.69", "us-west-1"));
    }

    @Override
    protected Money cheapestHourlyPrice() {
        // Two GPUs on node-b at 1.29 USD per GPU-hour (c is reserved, d busy, e an A100, f has one GPU free).
        return Money.ofUnits(USDC, 2_580_000);
    }

    @Override
    protected void stubLeaseLifecycle() {
        wm.stubFor(get(urlPathEqualTo(INSTANCES)).inScenario("rent").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json("{\"instances\": [" + instance("old-instance-1", "node-z.fen.intra", "online") + "]}")));
        wm.stubFor(post(urlPathEqualTo(CREATE)).inScenario("rent").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("created").willReturn(json("{\"status\": \"success\"}")));
        wm.stubFor(get(urlPathEqualTo(INSTANCES)).inScenario("rent").whenScenarioStateIs("created")
                .willReturn(json("{\"instances\": [" + instance("old-instance-1", "node-z.fen.intra", "online") + ","
                        + instance("bright-otter-42", "node-b.fen.intra", "online") + "]}")));
        wm.stubFor(post(urlPathEqualTo(TERMINATE)).willReturn(json("{\"status\": \"success\", \"message\": \"terminating\"}")));
    }

    private static String instance(String id, String node, String status) {
        return """
                {"id": "%s", "created": "2026-03-01T12:00:03Z", "start": "2026-03-01T12:00:40Z", "end": null,
                 "instance": {"id": "%s", "status": "%s", "owner": "user-77", "gpu_count": 2, "gpus_total": 4,
                   "hardware": {"gpus": [{"model": "NVIDIA-H100-80GB-HBM3", "ram": 81559}]},
                   "pricing": {"price": {"amount": 1.29, "period": "hour"}}},
                 "sshCommand": "ssh ubuntu@%s.hyperbolic.xyz -p 31337", "portMappings": [], "userMetadata": {}}
                """.formatted(id, node, status, id);
    }

    @Override
    protected void stubOffersError(int status, String body, Map<String, String> headers) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
        for (var h : headers.entrySet()) {
            response = response.withHeader(h.getKey(), h.getValue());
        }
        wm.stubFor(post(urlPathEqualTo(LIST)).willReturn(response));
    }

    @Override
    protected void stubOffersMalformed() {
        wm.stubFor(post(urlPathEqualTo(LIST)).willReturn(json("{\"nodes\": []}")));
    }

    @Override
    protected void stubOffersSlow(Duration delay) {
        wm.stubFor(post(urlPathEqualTo(LIST)).willReturn(json("{\"instances\": []}").withFixedDelay((int) delay.toMillis())));
    }

    @Override
    protected int offerListingRequests() {
        return wm.findAll(postRequestedFor(urlPathEqualTo(LIST))).size();
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private Offer cheapest(HyperbolicMarket m) {
        return m.offers(spec()).get(0);
    }

    // ---- offers -------------------------------------------------------------------------------

    @Test
    void onlyReadyUnreservedNodesWithEnoughFreeGpusAreOffered() {
        stubOffers();

        List<Offer> offers = market().offers(spec());

        assertThat(offers).extracting(Offer::offerId).containsExactly("node-b.fen.intra", "node-a.fen.intra");
        Offer b = offers.get(0);
        assertThat(b.providerId()).isEqualTo("supplier-node-b.fen.intra");
        assertThat(b.resources().gpuModel()).isEqualTo("NVIDIA-H100-80GB-HBM3");
        assertThat(b.resources().gpuCount()).isEqualTo(2);
        assertThat(b.resources().vramGib()).as("81559 MiB").isEqualTo(80);
        assertThat(b.resources().cpuMillis()).isEqualTo(192_000);
        assertThat(b.resources().memoryMib()).isEqualTo(2_063_736);
        assertThat(b.resources().region()).contains("us-east-1");
        assertThat(b.minimumCharge()).isEqualTo(Money.zero(USDC));
        assertThat(b.expiresAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(b.details()).containsEntry("cluster_name", "brave-tiger-cub").containsEntry("node_name", "node-b.fen.intra")
                .containsEntry("gpus_free", "4").containsEntry("price_amount", "1.29").containsEntry("price_unit", "DOLLARS")
                .containsEntry("price_period", "hour");
        assertThat(offers.get(1).details()).containsEntry("gpus_free", "5");
        assertThat(market().offers(ComputeSpec.of("h100", 1, Duration.ofHours(1)))).extracting(Offer::offerId)
                .as("one GPU fits node-f too").containsExactly("node-f.fen.intra", "node-b.fen.intra", "node-a.fen.intra");
    }

    @Test
    void theListingNeedsNoKeyAndIsAnonymousWithoutOne() {
        stubOffers();
        environment.clear();
        HyperbolicMarket anonymous = market(config().withBaseUrl(wm.baseUrl()).withPriceUnit(HyperbolicMarket.PriceUnit.DOLLARS));
        HyperbolicMarket.Config none = new HyperbolicMarket.Config(wm.baseUrl(), ApiKey.none(), USDC,
                HyperbolicMarket.PriceUnit.DOLLARS, Duration.ofSeconds(5), RESILIENCE, Duration.ofSeconds(30));
        HyperbolicMarket m = market(none);

        List<Offer> offers = m.offers(spec());

        assertThat(offers).hasSize(2);
        wm.verify(postRequestedFor(urlPathEqualTo(LIST)).withHeader("Authorization", absent())
                .withRequestBody(equalToJson("{\"filters\": {}}")));
        int before = wm.getAllServeEvents().size();
        assertThatThrownBy(() -> m.lease(offers.get(0), LeaseTerms.of("k", Duration.ofHours(1))))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.NOT_CONFIGURED);
                    assertThat(e.getMessage()).contains("lease", "API key");
                });
        assertThat(wm.getAllServeEvents()).as("nothing sent without a key").hasSize(before);
        // A configured key whose variable is unset is a misconfiguration, reported at once.
        assertThatThrownBy(() -> anonymous.offers(spec())).isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.NOT_CONFIGURED));
    }

    @Test
    void aConfiguredKeyIsSentAsBearerOnEveryCall() {
        stubOffers();
        stubLeaseLifecycle();
        HyperbolicMarket m = market(config());

        m.release(m.lease(cheapest(m), LeaseTerms.of("intent-1", Duration.ofHours(1))));

        assertThat(wm.getAllServeEvents()).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(e -> assertThat(e.getRequest().getHeader("Authorization")).isEqualTo("Bearer " + KEY_VALUE));
    }

    @Test
    void pricesAreDollarsPerGpuHourByDefaultAndCentsWhenConfigured() {
        stubListing(node("node-b.fen.intra", "brave-tiger-cub", "node_ready", "NVIDIA-H100-80GB-HBM3", 4, 0, false, "149", "us"));

        Offer dollars = market(config()).offers(spec()).get(0);
        Offer cents = market(config().withPriceUnit(HyperbolicMarket.PriceUnit.CENTS)).offers(spec()).get(0);

        assertThat(dollars.pricePerHour()).as("2 GPUs at $149").isEqualTo(Money.ofUnits(USDC, 298_000_000));
        assertThat(cents.pricePerHour()).as("2 GPUs at 149 cents").isEqualTo(Money.ofUnits(USDC, 2_980_000));
        assertThat(cents.details()).containsEntry("price_unit", "CENTS");

        wm.resetAll();
        stubListing(node("node-b.fen.intra", "brave-tiger-cub", "node_ready", "NVIDIA-H100-80GB-HBM3", 4, 0, false,
                "0.0000003", "us"));
        assertThat(market(config().withPriceUnit(HyperbolicMarket.PriceUnit.CENTS)).offers(spec()).get(0).pricePerHour())
                .as("rounded up to a whole base unit").isEqualTo(Money.ofUnits(USDC, 1));
        assertThat(HyperbolicMarket.PriceUnit.CENTS.toUsd(new java.math.BigDecimal("1.29")))
                .isEqualByComparingTo("0.0129");
    }

    @Test
    void aNodePricedPerSomethingOtherThanAnHourIsLeftOut() {
        stubListing(node("node-b.fen.intra", "brave-tiger-cub", "node_ready", "NVIDIA-H100-80GB-HBM3", 4, 0, false, "1.29", "us")
                .replace("\"period\": \"hour\"", "\"period\": \"month\""),
                node("node-a.fen.intra", "sunny-fern-owl", "node_ready", "NVIDIA-H100-80GB-HBM3", 8, 0, false, "1.49", "us"));

        assertThat(market().offers(spec())).extracting(Offer::offerId).containsExactly("node-a.fen.intra");
    }

    @Test
    void aReadyNodeWithoutItsRequiredFieldsIsMalformed() {
        stubListing("{\"id\": \"node-x\", \"status\": \"node_ready\", \"gpus_total\": 8, \"cluster_name\": \"c\"}");

        assertThatThrownBy(() -> market().offers(spec())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE);
            assertThat(e.getMessage()).contains("pricing");
        });
    }

    @Test
    void offersAreCachedPerSpecForTheTtl() {
        stubOffers();
        HyperbolicMarket m = market(config().withOfferTtl(Duration.ofSeconds(10)));

        m.offers(spec());
        ticks.addAndGet(Duration.ofSeconds(9).toNanos());
        m.offers(spec());
        assertThat(offerListingRequests()).isEqualTo(1);
        ticks.addAndGet(Duration.ofSeconds(1).toNanos());
        m.offers(spec());
        assertThat(offerListingRequests()).isEqualTo(2);
    }

    // ---- lease --------------------------------------------------------------------------------

    @Test
    void theCreateRequestNamesClusterNodeAndGpuCountAndTheInstanceIsFoundWhenTheAnswerHasNoId() {
        stubOffers();
        stubLeaseLifecycle();
        HyperbolicMarket m = market(config());

        Lease lease = m.lease(cheapest(m), LeaseTerms.of("intent-1", Duration.ofHours(3)));

        wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE)).withRequestBody(equalToJson(
                "{\"cluster_name\": \"brave-tiger-cub\", \"node_name\": \"node-b.fen.intra\", \"gpu_count\": 2}")));
        assertThat(lease.id()).isEqualTo("bright-otter-42");
        assertThat(lease.state()).isEqualTo(Lease.State.PENDING);
        assertThat(lease.start()).isEqualTo(T0);
        assertThat(lease.end()).contains(T0.plus(Duration.ofHours(3)));
        assertThat(lease.costSoFar()).isEqualTo(Money.zero(USDC));
        assertThat(lease.details()).containsEntry("cluster_name", "brave-tiger-cub").containsEntry("gpu_count", "2");
    }

    @Test
    void anIdInTheCreateAnswerIsUsedAndTheImageIsSentAsAnObject() {
        stubOffers();
        wm.stubFor(get(urlPathEqualTo(INSTANCES)).willReturn(json("{\"instances\": []}")));
        wm.stubFor(post(urlPathEqualTo(CREATE)).willReturn(json("{\"instance_name\": \"calm-heron-7\", \"status\": \"starting\"}")));
        HyperbolicMarket m = market(config());

        Lease lease = m.lease(cheapest(m), new LeaseTerms("intent-2", Duration.ofHours(1),
                Optional.of("ghcr.io/forage/worker:1"), Map.of()));

        assertThat(lease.id()).isEqualTo("calm-heron-7");
        assertThat(lease.details()).containsEntry("image", "ghcr.io/forage/worker:1");
        wm.verify(postRequestedFor(urlPathEqualTo(CREATE)).withRequestBody(equalToJson("""
                {"cluster_name": "brave-tiger-cub", "node_name": "node-b.fen.intra", "gpu_count": 2,
                 "image": {"name": "ghcr.io/forage/worker:1"}}""")));
        wm.verify(1, getRequestedFor(urlPathEqualTo(INSTANCES)));
    }

    @Test
    void leasingTwiceWithOneKeyCreatesOnce() {
        stubOffers();
        stubLeaseLifecycle();
        HyperbolicMarket m = market(config());
        Offer offer = cheapest(m);

        Lease first = m.lease(offer, LeaseTerms.of("intent-1", Duration.ofHours(1)));
        Lease again = m.lease(offer, LeaseTerms.of("intent-1", Duration.ofHours(1)));

        assertThat(again.id()).isEqualTo(first.id());
        wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void aCreateWithoutAnswerIsNotRetriedAndTheNextLeaseWithTheKeyFindsWhatItMade() {
        stubOffers();
        wm.stubFor(get(urlPathEqualTo(INSTANCES)).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json("{\"instances\": []}")));
        wm.stubFor(post(urlPathEqualTo(CREATE)).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("made").willReturn(aResponse().withStatus(504).withBody("gateway timeout")));
        wm.stubFor(get(urlPathEqualTo(INSTANCES)).inScenario("lost").whenScenarioStateIs("made")
                .willReturn(json("{\"instances\": [" + instance("made-anyway-1", "node-b.fen.intra", "starting") + "]}")));
        HyperbolicMarket m = market(config());
        Offer offer = cheapest(m);

        assertThatThrownBy(() -> m.lease(offer, LeaseTerms.of("intent-3", Duration.ofHours(1))))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.retriable()).isTrue());
        wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE)));

        Lease lease = m.lease(offer, LeaseTerms.of("intent-3", Duration.ofHours(1)));

        assertThat(lease.id()).isEqualTo("made-anyway-1");
        wm.verify(1, postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void aNodeThatIsGoneIsOfferGoneAndTheNextAttemptStartsAfresh() {
        stubOffers();
        wm.stubFor(get(urlPathEqualTo(INSTANCES)).willReturn(json("{\"instances\": []}")));
        wm.stubFor(post(urlPathEqualTo(CREATE)).willReturn(aResponse().withStatus(409)
                .withBody("{\"error\": \"node is fully reserved\"}")));
        HyperbolicMarket m = market(config());
        Offer offer = cheapest(m);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> m.lease(offer, LeaseTerms.of("intent-4", Duration.ofHours(1))))
                    .isInstanceOfSatisfying(ComputeException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ComputeException.Reason.OFFER_GONE);
                        assertThat(e.retriable()).isFalse();
                        assertThat(e.getMessage()).contains("fully reserved");
                    });
        }
        wm.verify(2, postRequestedFor(urlPathEqualTo(CREATE)));
    }

    @Test
    void envIsRefusedBeforeAnythingIsSent() {
        stubOffers();
        HyperbolicMarket m = market(config());
        Offer offer = cheapest(m);
        int before = wm.getAllServeEvents().size();

        assertThatThrownBy(() -> m.lease(offer, new LeaseTerms("k", Duration.ofHours(1), Optional.empty(), Map.of("A", "b"))))
                .isInstanceOfSatisfying(ComputeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ComputeException.Reason.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("env");
                });
        assertThat(wm.getAllServeEvents()).hasSize(before);
    }

    // ---- status, extend, release ----------------------------------------------------------------

    @Test
    void statusFindsOursInTheInstanceListWithItsSshEndpointAndCost() {
        stubOffers();
        stubLeaseLifecycle();
        HyperbolicMarket m = market(config());
        Lease lease = m.lease(cheapest(m), LeaseTerms.of("intent-1", Duration.ofHours(1)));
        clock.set(Instant.parse("2026-03-01T12:30:40Z"));

        Lease now = m.status(lease);

        assertThat(now.state()).isEqualTo(Lease.State.ACTIVE);
        assertThat(now.start()).isEqualTo(Instant.parse("2026-03-01T12:00:40Z"));
        assertThat(now.endpoints()).containsExactly(URI.create("ssh://ubuntu@bright-otter-42.hyperbolic.xyz:31337"));
        assertThat(now.costSoFar()).as("30 min at 2.58/h").isEqualTo(Money.ofUnits(USDC, 1_290_000));
        assertThat(now.end()).isEqualTo(lease.end());
        assertThat(now.details()).containsEntry("status", "online");
    }

    @Test
    void anInstanceNoLongerListedHasEnded() {
        stubOffers();
        stubLeaseLifecycle();
        HyperbolicMarket m = market(config());
        Lease lease = m.lease(cheapest(m), LeaseTerms.of("intent-1", Duration.ofHours(1)));
        wm.stubFor(get(urlPathEqualTo(INSTANCES)).willReturn(json("{\"instances\": []}")));
        clock.set(T0.plus(Duration.ofMinutes(20)));

        Lease now = m.status(lease);

        assertThat(now.state()).isEqualTo(Lease.State.CLOSED);
        assertThat(now.end()).contains(T0.plus(Duration.ofMinutes(20)));
        assertThat(now.costSoFar()).isEqualTo(Money.ofUnits(USDC, 860_000));
    }

    @Test
    void extendingMovesThePlannedEndWithoutARequest() {
        stubOffers();
        stubLeaseLifecycle();
        HyperbolicMarket m = market(config());
        Lease lease = m.status(m.lease(cheapest(m), LeaseTerms.of("intent-1", Duration.ofHours(1))));
        int requests = wm.getAllServeEvents().size();

        Lease extended = m.extend(lease, Duration.ofMinutes(90));

        assertThat(extended.end()).contains(T0.plus(Duration.ofMinutes(150)));
        assertThat(extended.state()).isEqualTo(lease.state());
        assertThat(extended.costSoFar()).isEqualTo(lease.costSoFar());
        assertThat(extended.details()).containsEntry("planned_end", T0.plus(Duration.ofMinutes(150)).toString());
        assertThat(wm.getAllServeEvents()).hasSize(requests);

        Lease closed = m.release(extended);
        assertThatThrownBy(() -> m.extend(closed, Duration.ofHours(1))).isInstanceOfSatisfying(ComputeException.class,
                e -> assertThat(e.reason()).isEqualTo(ComputeException.Reason.LEASE_ENDED));
    }

    @Test
    void releasingTerminatesByIdAndChargesTheExactRunningTime() {
        stubOffers();
        stubLeaseLifecycle();
        HyperbolicMarket m = market(config());
        Lease lease = m.lease(cheapest(m), LeaseTerms.of("intent-1", Duration.ofHours(1)));
        clock.set(T0.plus(Duration.ofMinutes(7)));

        Lease closed = m.release(lease);

        wm.verify(1, postRequestedFor(urlPathEqualTo(TERMINATE)).withRequestBody(equalToJson("{\"id\": \"bright-otter-42\"}")));
        assertThat(closed.state()).isEqualTo(Lease.State.CLOSED);
        assertThat(closed.end()).contains(T0.plus(Duration.ofMinutes(7)));
        // 7 min at 2.58/h = 0.301 USDC.
        assertThat(closed.costSoFar()).isEqualTo(Money.ofUnits(USDC, 301_000));
        assertThat(m.release(closed)).isSameAs(closed);
        wm.verify(1, postRequestedFor(urlPathEqualTo(TERMINATE)));
    }

    @Test
    void terminatingAnUnknownInstanceIsClosed() {
        stubOffers();
        stubLeaseLifecycle();
        wm.stubFor(post(urlPathEqualTo(TERMINATE)).willReturn(aResponse().withStatus(404).withBody("{\"error\":\"not found\"}")));
        HyperbolicMarket m = market(config());
        Lease lease = m.lease(cheapest(m), LeaseTerms.of("intent-1", Duration.ofHours(1)));

        Lease closed = m.release(lease);

        assertThat(closed.state()).isEqualTo(Lease.State.CLOSED);
        assertThat(closed.details()).containsKey("release_note");
    }

    @Test
    void instanceStatusesMapToLeaseStates() {
        assertThat(HyperbolicMarket.state("online")).isEqualTo(Lease.State.ACTIVE);
        assertThat(HyperbolicMarket.state("ONLINE")).isEqualTo(Lease.State.ACTIVE);
        for (String s : new String[] {"creating", "starting", "restarting", "offline", "busy", "unknown", "something-new"}) {
            assertThat(HyperbolicMarket.state(s)).as(s).isEqualTo(Lease.State.PENDING);
        }
        assertThat(HyperbolicMarket.state("terminated")).isEqualTo(Lease.State.CLOSED);
        assertThat(HyperbolicMarket.state("stopping")).isEqualTo(Lease.State.CLOSED);
        assertThat(HyperbolicMarket.state("failed")).isEqualTo(Lease.State.FAILED);
        assertThat(HyperbolicMarket.state("error")).isEqualTo(Lease.State.FAILED);
    }

    @Test
    void instanceIdsAreReadFromTheShapesClientsHaveSeen() throws Exception {
        var mapper = dev.forage.tools.http.JsonApi.MAPPER;
        assertThat(HyperbolicMarket.instanceId(mapper.readTree("{\"instance_name\":\"a\"}"))).contains("a");
        assertThat(HyperbolicMarket.instanceId(mapper.readTree("{\"instanceName\":\"b\"}"))).contains("b");
        assertThat(HyperbolicMarket.instanceId(mapper.readTree("{\"data\":{\"instance_id\":\"c\"}}"))).contains("c");
        assertThat(HyperbolicMarket.instanceId(mapper.readTree("{\"status\":\"success\"}"))).isEmpty();
        assertThat(HyperbolicMarket.instanceId(mapper.readTree("null"))).isEmpty();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
