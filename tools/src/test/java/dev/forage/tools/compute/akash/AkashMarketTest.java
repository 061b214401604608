package dev.forage.tools.compute.akash;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.forage.policies.Money;
import dev.forage.tools.compute.ComputeException;
import dev.forage.tools.compute.ComputeMarketContract;
import dev.forage.tools.compute.ComputeSpec;
import dev.forage.tools.compute.Lease;
import dev.forage.tools.compute.LeaseTerms;
import dev.forage.tools.compute.Offer;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.RemoteCallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link AkashMarket} against WireMock stubs of the Console API built from the zod schemas (with
 * unknown fields everywhere, the {@code {"data": ...}} envelope and the {@code {"error","message"}}
 * shape), on a fake clock: bid polling never sleeps for real.
 */
class AkashMarketTest extends ComputeMarketContract {

    static final String DSEQ = "1234567";
    static final String ALPHA = "akash1provideralpha00000000000000000000000";
    static final String BRAVO = "akash1providerbravo00000000000000000000000";
    static final String CHARLIE = "akash1providercharlie000000000000000000000";
    static final String DELTA = "akash1providerdelta00000000000000000000000";
    static final String MANIFEST_PATH = "$.manifest";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    protected AkashMarket market() {
        return market(UnaryOperator.identity());
    }

    AkashMarket market(UnaryOperator<AkashMarket.Builder> settings) {
        AkashMarket.Builder b = AkashMarket.Config.builder(ApiKey.fromEnv(KEY_VARIABLE, environment::get), Money.of(USDC, "3.00"))
                .baseUrl(wm.baseUrl()).resilience(RESILIENCE);
        return new AkashMarket(settings.apply(b).build(), HTTP, clock, d -> {
            sleeps.add(d);
            clock.advance(d);
        });
    }

    @Override
    protected ComputeSpec spec() {
        return ComputeSpec.of("h100", 1, Duration.ofHours(2)).withMinVramGib(80);
    }

    @Override
    protected void stubOffers() {
        stubCreate();
        wm.stubFor(authed(get(urlPathEqualTo("/v1/bids"))).withQueryParam("dseq", equalTo(DSEQ)).willReturn(okJson(fixture("bids.json"))));
        stubClose();
    }

    @Override
    protected Money cheapestHourlyPrice() {
        // Bravo bids 4000 Noble-USDC micro-units a block: 4000 × 600 = 2,400,000 base units an hour.
        return Money.ofUnits(USDC, 2_400_000);
    }

    @Override
    protected void stubLeaseLifecycle() {
        wm.stubFor(authed(post(urlEqualTo("/v1/leases"))).willReturn(okJson(fixture("lease-created.json"))));
        wm.stubFor(authed(get(urlEqualTo("/v1/deployments/" + DSEQ))).willReturn(okJson(fixture("deployment-active.json"))));
        wm.stubFor(authed(post(urlEqualTo("/v1/deposit-deployment"))).willReturn(okJson(fixture("deposit.json"))));
        stubClose();
    }

    @Override
    protected void stubOffersError(int status, String body, Map<String, String> headers) {
        stubCreate();
        ResponseDefinitionBuilder r = aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
        headers.forEach(r::withHeader);
        wm.stubFor(get(urlPathEqualTo("/v1/bids")).willReturn(r));
        stubClose();
    }

    @Override
    protected void stubOffersMalformed() {
        stubCreate();
        // A bid without bid_id and price, which the schema requires.
        wm.stubFor(get(urlPathEqualTo("/v1/bids")).willReturn(okJson("{\"data\":[{\"bid\":{\"state\":\"open\",\"x\":1}}]}")));
        stubClose();
    }

    @Override
    protected void stubOffersSlow(Duration delay) {
        stubCreate();
        wm.stubFor(get(urlPathEqualTo("/v1/bids")).willReturn(okJson(fixture("bids.json")).withFixedDelay((int) delay.toMillis())));
        stubClose();
    }

    @Override
    protected int offerListingRequests() {
        return count(getRequestedFor(urlPathEqualTo("/v1/bids")));
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static MappingBuilder authed(MappingBuilder m) {
        return m.withHeader("x-api-key", equalTo(KEY_VALUE));
    }

    void stubCreate() {
        wm.stubFor(authed(post(urlEqualTo("/v1/deployments"))).willReturn(okJson(fixture("create-deployment.json"))));
    }

    void stubClose() {
        wm.stubFor(authed(delete(urlEqualTo("/v1/deployments/" + DSEQ))).willReturn(okJson(fixture("close.json"))));
    }

    int count(RequestPatternBuilder p) {
        return wm.countRequestsMatching(p.build()).getCount();
    }

    static String fixture(String name) {
        try (InputStream in = AkashMarketTest.class.getResourceAsStream("console/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("no fixture console/" + name, e));
        }
    }

    private static JsonNode json(String body) {
        try {
            return JsonApi.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Offer offerOf(List<Offer> offers, String provider) {
        return offers.stream().filter(o -> o.providerId().equals(provider)).findFirst().orElseThrow();
    }

    // --- Akash specifics ----------------------------------------------------------------------------

    @Test
    void bidsBecomeOffersPricedExactlyPerHourWithTheirChainKeys() {
        stubOffers();

        List<Offer> offers = market().offers(spec());

        // Charlie (an RTX 4090) does not satisfy the spec, Delta bids uakt without a rate, Echo's bid is closed.
        assertThat(offers).extracting(Offer::providerId).containsExactly(BRAVO, ALPHA);
        Offer alpha = offerOf(offers, ALPHA);
        assertThat(alpha.pricePerHour()).as("4517 uact a block is 2.710200 USDC an hour").isEqualTo(Money.ofUnits(USDC, 2_710_200));
        assertThat(alpha.offerId()).isEqualTo(DSEQ + "/1/1/" + ALPHA);
        assertThat(alpha.details()).containsEntry("dseq", DSEQ).containsEntry("gseq", "1").containsEntry("oseq", "1")
                .containsEntry("provider", ALPHA).containsEntry("price_denom", "uact").containsEntry("price_per_block", "4517")
                .containsKeys("manifest", "manifest_sha256");
        assertThat(alpha.resources().gpuModel()).isEqualTo("h100");
        assertThat(alpha.resources().vramGib()).isEqualTo(80);
        assertThat(alpha.resources().gpuCount()).isEqualTo(1);
        assertThat(alpha.resources().cpuMillis()).isEqualTo(4000);
        assertThat(alpha.resources().memoryMib()).isEqualTo(16_384);
        assertThat(alpha.minimumCharge().isZero()).isTrue();
        assertThat(alpha.expiresAt()).isEqualTo(clock.instant().minus(Duration.ofSeconds(30)).plus(Duration.ofMinutes(5)));
        assertThat(offerOf(offers, BRAVO).details()).containsEntry("price_denom", AkashMarket.USDC_IBC_DENOM);
    }

    @Test
    void aDenomWithAConfiguredRateIsPricedAndOneWithoutIsSkipped() {
        stubOffers();

        // AKT at 0.55 USD: 3000 uakt a block is 3000 × 0.55 × 600 = 990,000 micro-USD an hour.
        List<Offer> offers = market(b -> b.rate("uakt", new BigDecimal("0.55"))).offers(spec());

        assertThat(offers).extracting(Offer::providerId).containsExactly(DELTA, BRAVO, ALPHA);
        assertThat(offerOf(offers, DELTA).pricePerHour()).isEqualTo(Money.ofUnits(USDC, 990_000));
        assertThat(offerOf(offers, DELTA).details()).containsEntry("price_denom", "uakt");
    }

    @Test
    void theSdlSentToCreateTheDeploymentIsTheGeneratedSdl() {
        stubOffers();
        AkashMarket market = market();

        market.offers(spec());

        List<JsonNode> bodies = wm.findAll(postRequestedFor(urlEqualTo("/v1/deployments"))).stream()
                .map(r -> json(r.getBodyAsString())).toList();
        assertThat(bodies).hasSize(1);
        String sent = bodies.get(0).path("data").path("sdl").asText();
        Sdl expected = market.sdlFor(spec());
        assertThat(sent).isEqualTo(expected.toYaml());
        assertThat(Sdl.parse(sent)).isEqualTo(expected);
        assertThat(bodies.get(0).path("data").path("name").asText()).isEqualTo("forage h100 x1");
        // 3.00 USD per GPU-hour is 5000 uact a block.
        assertThat(expected.pricing("akash", "forage").orElseThrow().amountDecimal()).isEqualByComparingTo("5000");
        assertThat(expected.profiles().compute().get("forage").resources().gpu().orElseThrow().vendors().get("nvidia").get(0)
                .ramBytes()).contains(java.math.BigInteger.valueOf(80L << 30));
    }

    @Test
    void bidsArePolledOnTheClockUntilTheyArriveAndTheBidWindowHasPassed() {
        stubCreate();
        stubClose();
        String s = "bids";
        wm.stubFor(get(urlPathEqualTo("/v1/bids")).inScenario(s).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(fixture("bids-none.json"))).willSetStateTo("1"));
        wm.stubFor(get(urlPathEqualTo("/v1/bids")).inScenario(s).whenScenarioStateIs("1")
                .willReturn(okJson(fixture("bids-none.json"))).willSetStateTo("2"));
        wm.stubFor(get(urlPathEqualTo("/v1/bids")).inScenario(s).whenScenarioStateIs("2")
                .willReturn(okJson(fixture("bids.json"))));
        Instant start = clock.instant();

        List<Offer> offers = market().offers(spec());

        assertThat(offers).hasSize(2);
        // Polls at 0, 5, ..., 30 s: bids from 10 s on, collected until the 30 s window has passed.
        assertThat(offerListingRequests()).isEqualTo(7);
        assertThat(sleeps).hasSize(6).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(5)));
        assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void noBidsByTheDeadlineIsNoOffersAndTheProbeIsClosed() {
        stubCreate();
        stubClose();
        wm.stubFor(get(urlPathEqualTo("/v1/bids")).willReturn(okJson(fixture("bids-none.json"))));
        AkashMarket market = market(b -> b.polling(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(95)));

        assertThat(market.offers(spec())).isEmpty();

        assertThat(offerListingRequests()).as("polls at 0, 10, ..., 90 and 95 s").isEqualTo(11);
        assertThat(sleeps.get(sleeps.size() - 1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(count(deleteRequestedFor(urlEqualTo("/v1/deployments/" + DSEQ)))).isEqualTo(1);
        assertThat(market.openProbes()).isEmpty();
    }

    @Test
    void aFailedBidListingClosesTheProbe() {
        stubOffersError(401, "{\"error\":\"Unauthorized\",\"message\":\"invalid api key\"}", Map.of());

        assertThatThrownBy(() -> market().offers(spec())).isInstanceOf(RemoteCallException.class);

        assertThat(count(deleteRequestedFor(urlEqualTo("/v1/deployments/" + DSEQ)))).isEqualTo(1);
    }

    @Test
    void offersAreCachedForTheirTtlAndUnusedProbesClosedAfterTheirs() {
        stubOffers();
        AkashMarket market = market(b -> b.probeTtl(Duration.ofMinutes(5)).offerTtl(Duration.ofSeconds(60)));

        List<Offer> first = market.offers(spec());
        clock.advance(Duration.ofSeconds(59));
        List<Offer> cached = market.offers(spec());

        assertThat(cached).isEqualTo(first);
        assertThat(count(postRequestedFor(urlEqualTo("/v1/deployments")))).as("one probe within the cache TTL").isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        market.offers(spec());
        assertThat(count(postRequestedFor(urlEqualTo("/v1/deployments")))).as("a new probe after the cache TTL").isEqualTo(2);
        assertThat(count(deleteRequestedFor(urlEqualTo("/v1/deployments/" + DSEQ)))).isZero();

        clock.advance(Duration.ofMinutes(5));
        market.offers(spec());
        assertThat(count(deleteRequestedFor(urlEqualTo("/v1/deployments/" + DSEQ)))).as("expired unused probes are closed")
                .isGreaterThanOrEqualTo(1);

        assertThat(market.closeUnusedProbes()).isEqualTo(1);
        assertThat(market.openProbes()).isEmpty();
    }

    @Test
    void aZeroOfferTtlCachesNothing() {
        stubOffers();
        AkashMarket market = market(b -> b.offerTtl(Duration.ZERO));

        market.offers(spec());
        market.offers(spec());

        assertThat(count(postRequestedFor(urlEqualTo("/v1/deployments")))).isEqualTo(2);
    }

    @Test
    void theEnvelopeIsRequired() {
        stubCreate();
        stubClose();
        wm.stubFor(get(urlPathEqualTo("/v1/bids")).willReturn(okJson(
                "[{\"bid\":{\"bid_id\":{\"dseq\":\"1234567\",\"gseq\":1,\"oseq\":1,\"provider\":\"p\"}}}]")));

        assertThatThrownBy(() -> market().offers(spec())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE);
            assertThat(e.getMessage()).contains("envelope");
        });

        wm.resetAll();
        wm.stubFor(post(urlEqualTo("/v1/deployments")).willReturn(okJson("{\"dseq\":\"1\",\"manifest\":\"[]\"}")));
        assertThatThrownBy(() -> market().offers(spec())).isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE));
    }

    @Test
    void theApiReferencePagesBidIdSpellingIsReadToo() {
        stubCreate();
        stubClose();
        wm.stubFor(get(urlPathEqualTo("/v1/bids")).willReturn(okJson(fixture("bids-reference-page-id.json"))));

        assertThat(market().offers(spec())).singleElement().satisfies(o -> {
            assertThat(o.providerId()).isEqualTo(ALPHA);
            assertThat(o.pricePerHour()).isEqualTo(Money.ofUnits(USDC, 2_710_200));
        });
    }

    @Test
    void errorsCarryTheConsolesErrorShapeAndACreateIsNeverRepeated() {
        wm.stubFor(post(urlEqualTo("/v1/deployments")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"BadRequest\",\"message\":\"Invalid SDL: x\"}")));
        assertThatThrownBy(() -> market().offers(spec())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.status()).hasValue(400);
            assertThat(e.retriable()).isFalse();
            assertThat(e.body()).contains("Invalid SDL");
        });
        assertThat(count(postRequestedFor(urlEqualTo("/v1/deployments")))).isEqualTo(1);

        // A 500 or a 429 may be retried by the caller, but not here: the first create may have happened.
        for (int status : new int[] {500, 429}) {
            wm.resetAll();
            wm.stubFor(post(urlEqualTo("/v1/deployments")).willReturn(aResponse().withStatus(status).withHeader("Retry-After", "0")
                    .withBody("{\"error\":\"InternalServerError\",\"message\":\"boom\"}")));
            assertThatThrownBy(() -> market().offers(spec())).as("HTTP %d", status).isInstanceOfSatisfying(RemoteCallException.class,
                    e -> {
                        assertThat(e.status()).hasValue(status);
                        assertThat(e.retriable()).isTrue();
                        assertThat(e.body()).contains("boom");
                    });
            assertThat(count(postRequestedFor(urlEqualTo("/v1/deployments")))).as("HTTP %d", status).isEqualTo(1);
        }
    }

    @Test
    void theSchemaLeaseRequestCarriesTheManifestAndTheBidKeys() {
        stubOffers();
        String manifest = json(fixture("create-deployment.json")).path("data").path("manifest").asText();
        wm.stubFor(authed(post(urlEqualTo("/v1/leases"))).withRequestBody(equalToJson("""
                {"manifest": %s, "leases": [{"dseq": "%s", "gseq": 1, "oseq": 1, "provider": "%s"}]}
                """.formatted(JsonApi.MAPPER.valueToTree(manifest).toString(), DSEQ, BRAVO)))
                .willReturn(okJson(fixture("lease-created.json"))));
        AkashMarket market = market();
        Offer cheapest = market.offers(spec()).get(0);

        Lease lease = market.lease(cheapest, LeaseTerms.of("intent-1", Duration.ofHours(2)));

        assertThat(lease.id()).isEqualTo(DSEQ);
        assertThat(lease.state()).as("on chain, but the provider has not reported the service").isEqualTo(Lease.State.PENDING);
        assertThat(lease.details()).containsEntry("lease_state", "active").containsEntry("provider", BRAVO)
                .containsEntry("lease_request", "schema");
        assertThat(lease.costSoFar()).isEqualTo(Money.zero(USDC));
        assertThat(market.openProbes()).as("the leased probe is the lease's deployment now").isEmpty();
    }

    @Test
    void theQuickstartLeaseRequestAndItsUnwrappedAnswerStillWork() {
        stubOffers();
        wm.stubFor(authed(post(urlEqualTo("/v1/leases"))).withRequestBody(equalToJson("""
                {"dseq": "%s", "bidId": "akash1forageowner0000000000000000000000000/%s/1/1/%s"}
                """.formatted(DSEQ, DSEQ, BRAVO))).willReturn(okJson("{\"dseq\":\"" + DSEQ + "\"}")));
        AkashMarket market = market(b -> b.leaseRequest(AkashMarket.LeaseRequest.QUICKSTART));
        Offer cheapest = market.offers(spec()).get(0);

        Lease lease = market.lease(cheapest, LeaseTerms.of("intent-q", Duration.ofHours(1)));

        assertThat(lease.id()).isEqualTo(DSEQ);
        assertThat(lease.state()).isEqualTo(Lease.State.PENDING);
        assertThat(lease.details()).containsEntry("lease_request", "quickstart");
        assertThat(count(postRequestedFor(urlEqualTo("/v1/leases")))).isEqualTo(1);
    }

    @Test
    void anUnwrappedDseqAnswerToTheSchemaRequestIsAcceptedAndAnythingElseIsMalformed() {
        stubOffers();
        wm.stubFor(post(urlEqualTo("/v1/leases")).willReturn(okJson("{\"dseq\":\"" + DSEQ + "\"}")));
        AkashMarket market = market();
        List<Offer> offers = market.offers(spec());

        assertThat(market.lease(offers.get(0), LeaseTerms.of("k1", Duration.ofHours(1))).state()).isEqualTo(Lease.State.PENDING);

        wm.stubFor(post(urlEqualTo("/v1/leases")).willReturn(okJson("{\"data\":{\"ok\":true}}")));
        clock.advance(Duration.ofMinutes(2));
        AkashMarket other = market();
        Offer fresh = other.offers(spec()).get(0);
        assertThatThrownBy(() -> other.lease(fresh, LeaseTerms.of("k2", Duration.ofHours(1))))
                .isInstanceOfSatisfying(RemoteCallException.class,
                        e -> assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE));
        assertThat(other.openProbes()).as("a failed lease leaves the probe to be closed later").containsExactly(DSEQ);
    }

    @Test
    void leasesAreIdempotentByKey() {
        stubOffers();
        stubLeaseLifecycle();
        AkashMarket market = market();
        List<Offer> offers = market.offers(spec());
        LeaseTerms terms = LeaseTerms.of("intent-7", Duration.ofHours(1));

        Lease first = market.lease(offers.get(0), terms);
        Lease again = market.lease(offers.get(0), terms);

        assertThat(again).isEqualTo(first);
        assertThat(count(postRequestedFor(urlEqualTo("/v1/leases")))).isEqualTo(1);
        assertThatThrownBy(() -> market.lease(offers.get(1), terms)).isInstanceOfSatisfying(ComputeException.class, e -> {
            assertThat(e.reason()).isEqualTo(ComputeException.Reason.INVALID_REQUEST);
            assertThat(e.getMessage()).contains("intent-7", "already took");
        });
        assertThatThrownBy(() -> market.lease(offers.get(1), LeaseTerms.of("intent-8", Duration.ofHours(1))))
                .isInstanceOfSatisfying(ComputeException.class,
                        e -> assertThat(e.reason()).isEqualTo(ComputeException.Reason.OFFER_GONE));
        assertThat(count(postRequestedFor(urlEqualTo("/v1/leases")))).isEqualTo(1);

        Lease released = market.release(market.status(first));
        assertThat(market.lease(offers.get(0), terms)).as("the key's lease, as last seen").isEqualTo(released);
    }

    @Test
    void concurrentLeasesUnderOneKeyMakeOneLeaseRequest() throws Exception {
        stubOffers();
        wm.stubFor(post(urlEqualTo("/v1/leases")).willReturn(okJson(fixture("lease-created.json")).withFixedDelay(300)));
        AkashMarket market = market();
        Offer cheapest = market.offers(spec()).get(0);
        LeaseTerms terms = LeaseTerms.of("intent-c", Duration.ofHours(1));

        List<Lease> leases;
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var a = threads.submit(() -> market.lease(cheapest, terms));
            var b = threads.submit(() -> market.lease(cheapest, terms));
            leases = List.of(a.get(), b.get());
        }

        assertThat(leases.get(0)).isEqualTo(leases.get(1));
        assertThat(count(postRequestedFor(urlEqualTo("/v1/leases")))).isEqualTo(1);
    }

    @Test
    void aRetriedLeaseRequestFindsTheLeaseItMadeInsteadOfAskingAgain() {
        stubOffers();
        wm.stubFor(post(urlEqualTo("/v1/leases")).willReturn(aResponse().withStatus(502).withBody("{\"error\":\"BadGateway\"}")));
        wm.stubFor(get(urlEqualTo("/v1/deployments/" + DSEQ)).willReturn(okJson(fixture("deployment-active.json"))));
        AkashMarket market = market();
        Offer cheapest = market.offers(spec()).get(0);

        Lease lease = market.lease(cheapest, LeaseTerms.of("intent-r", Duration.ofHours(1)));

        assertThat(count(postRequestedFor(urlEqualTo("/v1/leases")))).isEqualTo(1);
        assertThat(lease.state()).isEqualTo(Lease.State.ACTIVE);
    }

    @Test
    void statusMapsServiceUrisForwardedPortsStateAndCost() {
        stubOffers();
        stubLeaseLifecycle();
        wm.stubFor(get(urlEqualTo("/v1/deployments/" + DSEQ)).willReturn(okJson(fixture("deployment-starting.json"))));
        AkashMarket market = market();
        Lease lease = market.lease(market.offers(spec()).get(0), LeaseTerms.of("intent-s", Duration.ofHours(2)));

        assertThat(market.status(lease).state()).as("no replica available yet").isEqualTo(Lease.State.PENDING);

        wm.stubFor(get(urlEqualTo("/v1/deployments/" + DSEQ)).willReturn(okJson(fixture("deployment-active.json"))));
        clock.advance(Duration.ofMinutes(15));
        Lease active = market.status(lease);
        assertThat(active.state()).isEqualTo(Lease.State.ACTIVE);
        assertThat(active.endpoints()).containsExactly(URI.create("http://d1a2b3.ingress.bravo.example.com"),
                URI.create("tcp://provider.bravo.example.com:31022"));
        // The escrow paid out 1.2 USDC, more than 15 min at 2.40 an hour (0.60): the larger counts.
        assertThat(active.costSoFar()).isEqualTo(Money.ofUnits(USDC, 1_200_000));
        assertThat(active.details()).containsEntry("escrow_state", "open").containsEntry("deployment_state", "active");

        clock.advance(Duration.ofHours(1));
        assertThat(market.status(lease).costSoFar()).as("1 h 15 min at 2.40 an hour").isEqualTo(Money.ofUnits(USDC, 3_000_000));

        wm.stubFor(get(urlEqualTo("/v1/deployments/" + DSEQ)).willReturn(okJson(fixture("deployment-closed.json"))));
        Lease closed = market.status(active);
        assertThat(closed.state()).isEqualTo(Lease.State.CLOSED);
        assertThat(closed.end()).contains(clock.instant());
        assertThat(closed.endpoints()).as("endpoints last known stay").isEqualTo(active.endpoints());
    }

    @Test
    void extendingDepositsTheHourlyPriceForTheExtraTimeAtLeastTheMinimum() {
        stubOffers();
        stubLeaseLifecycle();
        AkashMarket market = market();
        Lease lease = market.status(market.lease(market.offers(spec()).get(0), LeaseTerms.of("intent-e", Duration.ofHours(1))));

        Lease extended = market.extend(lease, Duration.ofHours(3));
        market.extend(lease, Duration.ofMinutes(1));

        List<JsonNode> deposits = wm.findAll(postRequestedFor(urlEqualTo("/v1/deposit-deployment"))).stream()
                .map(r -> json(r.getBodyAsString()).path("data")).toList();
        assertThat(deposits).hasSize(2);
        assertThat(deposits.get(0).path("dseq").asText()).isEqualTo(DSEQ);
        assertThat(deposits.get(0).path("deposit").decimalValue()).isEqualByComparingTo("7.2");
        assertThat(deposits.get(1).path("deposit").decimalValue()).as("1 min is 0.04 USD: the minimum 0.50 instead")
                .isEqualByComparingTo("0.5");
        assertThat(extended.state()).as("the deposit answer carries no status: readiness as known").isEqualTo(Lease.State.ACTIVE);
        assertThat(extended.details()).containsEntry("last_deposit_usd", "7.200000");
    }

    @Test
    void anEndedLeaseIsNotExtendedAndReleasingItAgainChangesNothing() {
        stubOffers();
        stubLeaseLifecycle();
        AkashMarket market = market();
        Lease lease = market.lease(market.offers(spec()).get(0), LeaseTerms.of("intent-x", Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(30));

        Lease released = market.release(lease);
        assertThat(released.state()).isEqualTo(Lease.State.CLOSED);
        assertThat(released.end()).contains(clock.instant());
        assertThat(released.costSoFar()).as("30 min at 2.40 an hour").isEqualTo(Money.ofUnits(USDC, 1_200_000));

        assertThat(market.release(released)).isEqualTo(released);
        assertThat(count(deleteRequestedFor(urlEqualTo("/v1/deployments/" + DSEQ)))).isEqualTo(1);
        assertThatThrownBy(() -> market.extend(released, Duration.ofHours(1))).isInstanceOfSatisfying(ComputeException.class,
                e -> assertThat(e.reason()).isEqualTo(ComputeException.Reason.LEASE_ENDED));
    }

    @Test
    void anUnknownDeploymentIsLeaseNotFound() {
        stubOffers();
        stubLeaseLifecycle();
        AkashMarket market = market();
        Lease lease = market.lease(market.offers(spec()).get(0), LeaseTerms.of("intent-n", Duration.ofHours(1)));
        wm.stubFor(get(urlEqualTo("/v1/deployments/" + DSEQ)).willReturn(aResponse().withStatus(404)
                .withBody("{\"error\":\"NotFound\",\"message\":\"Deployment not found\"}")));

        assertThatThrownBy(() -> market.status(lease)).isInstanceOfSatisfying(ComputeException.class, e -> {
            assertThat(e.reason()).isEqualTo(ComputeException.Reason.LEASE_NOT_FOUND);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("Deployment not found");
        });
    }

    @Test
    void leaseTermsTheManifestCannotHonourAreRefusedBeforeAnyRequest() {
        stubOffers();
        AkashMarket market = market();
        Offer offer = market.offers(spec()).get(0);

        assertThatThrownBy(() -> market.lease(offer, new LeaseTerms("i-1", Duration.ofHours(1), Optional.of("redis:7"), Map.of())))
                .isInstanceOfSatisfying(ComputeException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComputeException.Reason.INVALID_REQUEST));
        assertThatThrownBy(() -> market.lease(offer, new LeaseTerms("i-2", Duration.ofHours(1), Optional.empty(), Map.of("A", "1"))))
                .isInstanceOf(ComputeException.class).hasMessageContaining("env");
        clock.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> market.lease(offer, LeaseTerms.of("i-3", Duration.ofHours(1))))
                .isInstanceOfSatisfying(ComputeException.class, e -> assertThat(e.reason())
                        .isEqualTo(ComputeException.Reason.OFFER_GONE));
        assertThat(count(postRequestedFor(urlEqualTo("/v1/leases")))).isZero();
    }

    @Test
    void settingsThatContradictEachOtherAreRefused() {
        ApiKey key = ApiKey.fromEnv(KEY_VARIABLE, environment::get);
        assertThatThrownBy(() -> AkashMarket.Config.builder(key, Money.of(USDC, "3")).probeTtl(Duration.ofMinutes(1))
                .offerTtl(Duration.ofMinutes(2)).build()).hasMessageContaining("offerTtl");
        assertThatThrownBy(() -> AkashMarket.Config.builder(key, Money.of(USDC, "3"))
                .polling(Duration.ofSeconds(5), Duration.ofMinutes(3), Duration.ofMinutes(2)).build()).hasMessageContaining("minBidWait");
        assertThatThrownBy(() -> AkashMarket.Config.builder(key, Money.of(USDC, "3")).rate("uact", new BigDecimal("2")).build())
                .hasMessageContaining("give one rate");
    }
}
