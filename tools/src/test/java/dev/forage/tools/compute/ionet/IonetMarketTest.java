package dev.forage.tools.compute.ionet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.RemoteCallException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link IonetMarket} against WireMock stubs written from io.net's OpenAPI documents for VMaaS
 * (get-hardware-list, get-deployment-price, deploy-vms, get-deployment-details,
 * get-deployment-vms, extend-cluster, destroy-deployment), each object with fields the docs do
 * not list, plus the quirks: an empty deploy answer, 422 validation details.
 */
class IonetMarketTest extends ComputeMarketContract {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String V = "/enterprise/v1/io-cloud/vmaas/";
    private static final String HARDWARE = V + "hardware";
    private static final String DEPLOYMENT_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final AtomicLong ticks = new AtomicLong();
    private IonetMarket.Config config;

    private IonetMarket.Config config() {
        if (config == null) {
            config = IonetMarket.Config.of(ApiKey.fromEnv(KEY_VARIABLE, environment::get), USDC).withBaseUrl(wm.baseUrl())
                    .withResilience(RESILIENCE).withTimeout(Duration.ofSeconds(5));
        }
        return config;
    }

    @Override
    protected ComputeMarket market() {
        return new IonetMarket(config(), HTTP, clock, ticks::get);
    }

    private IonetMarket market(IonetMarket.Config c) {
        return new IonetMarket(c, HTTP, clock, ticks::get);
    }

    @Override
    protected ComputeSpec spec() {
        return ComputeSpec.of("h100", 1, Duration.ofHours(2));
    }

    @Override
    protected void stubOffers() {
        wm.stubFor(get(urlPathEqualTo(HARDWARE)).willReturn(json("""
                {"data": {"hardware": [
                  {"id": "h100-sxm-fi", "deploy_id": 101, "name": "H100 80GB SXM5", "num_cards": 8, "supplier": "internal",
                   "price": 2.5, "vram_per_card": 80, "interconnect": "sxm5", "nvlink": true, "storage": 3000, "vcpu": 104,
                   "memory": 1024, "location": "FI", "badge": "new"},
                  {"id": "h100-pcie-us", "deploy_id": "8H100.US", "name": "NVIDIA H100 80GB PCIe", "num_cards": 4,
                   "supplier": "external", "price": 2.2, "vram_per_card": 80, "interconnect": null, "nvlink": false,
                   "storage": null, "vcpu": 64, "memory": 512, "location": "US", "score": {"uptime": 0.99}},
                  {"id": "a100-us", "deploy_id": 103, "name": "A100 80GB", "num_cards": 8, "supplier": "internal",
                   "price": 1.2, "vram_per_card": 80, "vcpu": 96, "memory": 1024, "location": "US"},
                  {"id": "h100-de-full", "deploy_id": 104, "name": "H100 80GB", "num_cards": 8, "supplier": "internal",
                   "price": 1.9, "vram_per_card": 80, "vcpu": 96, "memory": 1024, "location": "DE"}
                ], "page": 1}, "request_id": "r-1"}
                """)));
        stubPrice("101", "FI", "5.000001", "[3]");
        stubPrice("8H100.US", "US", "4.40", "[1]");
        stubPrice("103", "US", "2.40", "[5]");
        stubPrice("104", "DE", "3.80", "[0]");
    }

    private void stubPrice(String hardwareId, String location, String total, String available) {
        wm.stubFor(get(urlPathEqualTo(V + "price")).withQueryParam("hardware_id", equalTo(hardwareId))
                .withQueryParam("location_ids", equalTo(location)).withQueryParam("currency", equalTo("usdc"))
                .willReturn(json("""
                        {"data": {"replica_count": 1, "gpus_per_vm": 1, "available_replica_count": %s, "discount": 0,
                         "ionet_fee": 0.1, "ionet_fee_percent": 2.5, "currency_conversion_fee": 0,
                         "currency_conversion_fee_percent": 0, "total_cost_usdc": %s, "promo": null}}
                        """.formatted(available, total))));
    }

    @Override
    protected Money cheapestHourlyPrice() {
        // 4.40 USDC for two hours on hardware 8H100.US (104 is cheaper but has no free replica).
        return Money.ofUnits(USDC, 2_200_000);
    }

    @Override
    protected void stubLeaseLifecycle() {
        String name = IonetMarket.privateName("intent-lease-1");
        wm.stubFor(get(urlPathEqualTo(V + "deployments")).inScenario("deploy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json("""
                        {"data": {"deployments": [{"id": "0b8c1d2e-0000-4000-8000-000000000001", "status": "running",
                          "name": "someone-else", "completed_percent": 50}], "total": 1, "statuses": ["running"]}}
                        """)));
        wm.stubFor(post(urlPathEqualTo(V + "deploy")).inScenario("deploy").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("deployed").willReturn(aResponse().withStatus(200)));
        wm.stubFor(get(urlPathEqualTo(V + "deployments")).inScenario("deploy").whenScenarioStateIs("deployed")
                .willReturn(json("""
                        {"data": {"deployments": [
                          {"id": "0b8c1d2e-0000-4000-8000-000000000001", "status": "running", "name": "someone-else"},
                          {"id": "%s", "status": "deployment requested", "name": "%s", "completed_percent": 0,
                           "hardware_quantity": 1, "brand_name": "NVIDIA", "hardware_name": "H100 80GB PCIe",
                           "compute_minutes_served": 0, "compute_minutes_remaining": 120, "tags": []}],
                         "total": 2, "statuses": ["running", "deployment requested"]}}
                        """.formatted(DEPLOYMENT_ID, name))));
        wm.stubFor(get(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID)).willReturn(json(details("running", 30, 90))));
        wm.stubFor(get(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID + "/vms")).willReturn(json("""
                {"data": {"total": 1, "workers": [{"device_id": "a1f9c0de-0000-4000-8000-000000000002", "vm_id": "vm-1",
                  "hardware": "H100 80GB PCIe", "brand_name": "NVIDIA", "created_at": "2026-03-01T12:01:00Z",
                  "uptime_percent": 100, "gpus_per_vm": 1, "status": "running", "vm_events": null,
                  "network_services": {"web": {"port": 8080, "protocol": "tcp", "whitelist": ["0.0.0.0/0"],
                    "public_port": 31080, "public_ip": "203.0.113.7", "srv_record": "_web._tcp.vm-1.io"}},
                  "ssh_access": "ssh -p 31022 ubuntu@203.0.113.7", "is_external": false, "gpu_temp": 61}]}}
                """)));
        wm.stubFor(post(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID + "/extend"))
                .willReturn(json(details("running", 31, 149))));
        wm.stubFor(delete(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID)).willReturn(json("{}")));
    }

    private static String details(String status, int served, int remaining) {
        return """
                {"data": {"id": "%s", "status": "%s", "created_at": "2026-03-01T12:00:05.123456",
                 "started_at": "2026-03-01T12:01:00Z", "finished_at": null, "amount_paid": 4.4, "completed_percent": 25.0,
                 "total_gpus": 1, "gpus_per_vm": 1, "total_vms": 1, "hardware_name": "H100 80GB PCIe", "hardware_id": 8,
                 "locations": [{"id": 1, "iso2": "US", "name": "United States"}], "brand_name": "NVIDIA",
                 "compute_minutes_served": %d, "compute_minutes_remaining": %d, "ssh_keys": {}, "github_ids": [],
                 "cluster_tier": "standard"}}
                """.formatted(DEPLOYMENT_ID, status, served, remaining);
    }

    @Override
    protected void stubOffersError(int status, String body, Map<String, String> headers) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
        for (var h : headers.entrySet()) {
            response = response.withHeader(h.getKey(), h.getValue());
        }
        wm.stubFor(get(urlPathEqualTo(HARDWARE)).willReturn(response));
    }

    @Override
    protected void stubOffersMalformed() {
        wm.stubFor(get(urlPathEqualTo(HARDWARE)).willReturn(json("{\"data\": {\"items\": []}}")));
    }

    @Override
    protected void stubOffersSlow(Duration delay) {
        wm.stubFor(get(urlPathEqualTo(HARDWARE)).willReturn(json("{\"data\": {\"hardware\": []}}")
                .withFixedDelay((int) delay.toMillis())));
    }

    @Override
    protected int offerListingRequests() {
        return wm.findAll(getRequestedFor(urlPathEqualTo(HARDWARE))).size();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private Offer cheapest() {
        return market().offers(spec()).get(0);
    }

    private JsonNode onlyDeployBody() throws Exception {
        var posts = wm.findAll(postRequestedFor(urlPathEqualTo(V + "deploy")));
        assertThat(posts).hasSize(1);
        return JsonApi.MAPPER.readTree(posts.get(0).getBodyAsString());
    }

    // ---- offers ------------------------------------------------------------------------------

    @Test
    void offersArePricedFromTheQuoteTotalDividedByTheHoursAndRoundedUp() {
        stubOffers();

        List<Offer> offers = market().offers(spec());

        assertThat(offers).extracting(Offer::offerId).containsExactly("8H100.US", "101");
        Offer fi = offers.get(1);
        // 5.000001 USDC / 2 h = 2.5000005 USDC/h, rounded up to 2.500001.
        assertThat(fi.pricePerHour()).isEqualTo(Money.ofUnits(USDC, 2_500_001));
        assertThat(fi.providerId()).isEqualTo("h100-sxm-fi");
        assertThat(fi.resources().gpuModel()).isEqualTo("H100 80GB SXM5");
        assertThat(fi.resources().gpuCount()).isEqualTo(1);
        assertThat(fi.resources().vramGib()).isEqualTo(80);
        assertThat(fi.resources().cpuMillis()).isEqualTo(104_000);
        assertThat(fi.resources().memoryMib()).isEqualTo(1024L * 1024);
        assertThat(fi.resources().region()).contains("FI");
        assertThat(fi.expiresAt()).isEqualTo(T0.plus(config().offerTtl()));
        assertThat(fi.details()).containsEntry("hardware_id", "101").containsEntry("location_id", "FI")
                .containsEntry("quote_total_usdc", "5.000001").containsEntry("quote_duration_hours", "2")
                .containsEntry("supplier", "internal").containsEntry("nvlink", "true");
        wm.verify(getRequestedFor(urlPathEqualTo(V + "price")).withQueryParam("hardware_id", equalTo("101"))
                .withQueryParam("duration_hours", equalTo("2")).withQueryParam("gpus_per_vm", equalTo("1"))
                .withQueryParam("replica_count", equalTo("1")));
        wm.verify(0, getRequestedFor(urlPathEqualTo(V + "price")).withQueryParam("hardware_id", equalTo("103")));
    }

    @Test
    void theFirstHourIsTheMinimumChargeOfEveryOffer() {
        stubOffers();

        List<Offer> offers = market().offers(spec());

        assertThat(offers).allSatisfy(o -> {
            assertThat(o.minimumCharge()).isEqualTo(o.pricePerHour());
            assertThat(o.costFor(Duration.ofMinutes(10))).isEqualTo(o.pricePerHour());
            assertThat(o.costFor(Duration.ofMinutes(90))).isEqualTo(dev.forage.tools.compute.Prices.prorate(o.pricePerHour(),
                    Duration.ofMinutes(90)));
        });
    }

    @Test
    void theSpecBecomesTheHardwareFilters() {
        stubOffers();
        IonetMarket m = market(config().withGpuFamilies(List.of("H100", "H200")));

        m.offers(ComputeSpec.of("h100", 2, Duration.ofMinutes(90)).withRegion("US").withMinVramGib(80));

        var request = wm.findAll(getRequestedFor(urlPathEqualTo(HARDWARE))).get(0);
        assertThat(request.queryParameter("gpu").values()).containsExactly("h100");
        assertThat(request.queryParameter("regions").values()).containsExactly("US");
        assertThat(request.queryParameter("gpu_memory_min").values()).containsExactly("80");
        assertThat(request.queryParameter("gpu_family").values()).containsExactly("H100", "H200");
        wm.verify(getRequestedFor(urlPathEqualTo(V + "price")).withQueryParam("hardware_id", equalTo("8H100.US"))
                .withQueryParam("duration_hours", equalTo("2")).withQueryParam("gpus_per_vm", equalTo("2")));
    }

    @Test
    void moreGpusThanAVmCarriesOrMoreThanAYearFindNothingWithoutAsking() {
        stubOffers();

        assertThat(market().offers(ComputeSpec.of("h100", 9, Duration.ofHours(1)))).isEmpty();
        assertThat(market().offers(ComputeSpec.of("h100", 1, Duration.ofDays(366)))).isEmpty();
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void aQuoteIoNetRefusesLeavesThatItemOutAndOtherFailuresPropagate() {
        stubOffers();
        wm.stubFor(get(urlPathEqualTo(V + "price")).withQueryParam("hardware_id", equalTo("101"))
                .willReturn(aResponse().withStatus(422).withBody(
                        "{\"detail\":[{\"loc\":[\"query\",\"location_ids\"],\"msg\":\"unknown location\",\"type\":\"value_error\"}]}")));

        assertThat(market().offers(spec())).extracting(Offer::offerId).containsExactly("8H100.US");

        wm.stubFor(get(urlPathEqualTo(V + "price")).withQueryParam("hardware_id", equalTo("101"))
                .willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"Not authenticated\"}")));
        assertThatThrownBy(() -> market().offers(spec())).isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.status()).hasValue(401));
    }

    @Test
    void offersAreCachedPerSpecForTheTtl() {
        stubOffers();
        IonetMarket m = market(config().withOfferTtl(Duration.ofSeconds(30)));

        List<Offer> first = m.offers(spec());
        ticks.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(m.offers(spec())).isEqualTo(first);
        assertThat(offerListingRequests()).isEqualTo(1);

        m.offers(spec().withRegion("US"));
        assertThat(offerListingRequests()).as("another spec is another entry").isEqualTo(2);

        ticks.addAndGet(Duration.ofSeconds(2).toNanos());
        m.offers(spec());
        assertThat(offerListingRequests()).as("expired after 30 s").isEqualTo(3);

        IonetMarket uncached = market(config().withOfferTtl(Duration.ZERO));
        uncached.offers(spec());
        uncached.offers(spec());
        assertThat(offerListingRequests()).as("a zero TTL caches nothing").isEqualTo(5);
    }

    @Test
    void failuresAreNotCached() {
        stubOffersError(503, "{\"detail\":\"down\"}", Map.of());
        IonetMarket m = market(config().withResilience(RESILIENCE.withMaxAttempts(1)));
        assertThatThrownBy(() -> m.offers(spec())).isInstanceOf(RemoteCallException.class);

        wm.resetAll();
        stubOffers();
        assertThat(m.offers(spec())).hasSize(2);
    }

    // ---- auth ---------------------------------------------------------------------------------

    @Test
    void theKeyGoesInXApiKeyByDefaultAndInTokenInTheLegacyMode() {
        stubOffers();

        market().offers(spec());
        wm.verify(getRequestedFor(urlPathEqualTo(HARDWARE)).withHeader("x-api-key", equalTo(KEY_VALUE))
                .withHeader("token", absent()).withHeader("Authorization", absent()));

        wm.resetRequests();
        market(config().withAuth(IonetMarket.legacyTokenAuth())).offers(spec());
        wm.verify(getRequestedFor(urlPathEqualTo(HARDWARE)).withHeader("token", equalTo(KEY_VALUE))
                .withHeader("x-api-key", absent()));
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo(V + "price"))))
                .allSatisfy(r -> assertThat(r.getHeader("token")).isEqualTo(KEY_VALUE));
    }

    // ---- lease --------------------------------------------------------------------------------

    @Test
    void theDeployRequestHasExactlyTheDocumentedRequiredFieldsAndTheLocation() throws Exception {
        stubOffers();
        stubLeaseLifecycle();
        IonetMarket m = (IonetMarket) market();

        Lease lease = m.lease(cheapest(), LeaseTerms.of("intent-lease-1", Duration.ofMinutes(90)));

        JsonNode body = onlyDeployBody();
        Set<String> fields = new HashSet<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("resource_private_name", "duration_hours", "gpus_per_vm", "hardware_id",
                "location_ids");
        assertThat(DeployRequest.DOCUMENTED_FIELDS).containsAll(fields);
        assertThat(body.get("resource_private_name").asText()).isEqualTo(IonetMarket.privateName("intent-lease-1"))
                .matches("forage-[0-9a-f]{20}");
        assertThat(body.get("duration_hours").isIntegralNumber()).isTrue();
        assertThat(body.get("duration_hours").asLong()).as("90 minutes prepay two whole hours").isEqualTo(2);
        assertThat(body.get("gpus_per_vm").asInt()).isEqualTo(1);
        assertThat(body.get("hardware_id").isTextual()).isTrue();
        assertThat(body.get("hardware_id").asText()).isEqualTo("8H100.US");
        assertThat(body.get("location_ids")).hasSize(1);
        assertThat(body.get("location_ids").get(0).asText()).isEqualTo("US");

        // The undocumented, empty 200 answer: the deployment was found by its name.
        assertThat(lease.id()).isEqualTo(DEPLOYMENT_ID);
        assertThat(lease.state()).isEqualTo(Lease.State.PENDING);
        assertThat(lease.details()).containsEntry("duration_hours", "2")
                .containsEntry("resource_private_name", IonetMarket.privateName("intent-lease-1"));
        assertThat(lease.costSoFar()).as("the first hour is committed at once").isEqualTo(Money.ofUnits(USDC, 2_200_000));
    }

    @Test
    void optionalDocumentedFieldsAreSentOnlyWhenConfiguredAndIdsThatAreNumbersAsNumbers() throws Exception {
        stubOffers();
        stubLeaseLifecycle();
        IonetMarket m = market(config().withSshKeys(Map.of("ops", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAItest ops@forage"))
                .withVmImageType("datascience"));
        Offer fi = m.offers(spec()).get(1);

        m.lease(fi, LeaseTerms.of("intent-lease-1", Duration.ofHours(3)));

        JsonNode body = onlyDeployBody();
        Set<String> fields = new HashSet<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("resource_private_name", "duration_hours", "gpus_per_vm", "hardware_id",
                "location_ids", "ssh_keys", "vm_image_type");
        assertThat(DeployRequest.DOCUMENTED_FIELDS).containsAll(fields);
        assertThat(body.get("hardware_id").isIntegralNumber()).isTrue();
        assertThat(body.get("hardware_id").asLong()).isEqualTo(101);
        assertThat(body.get("ssh_keys").get("ops").asText()).startsWith("ssh-ed25519 ");
        assertThat(body.get("vm_image_type").asText()).isEqualTo("datascience");
    }

    @Test
    void anIdInTheDeployAnswerIsUsedWithoutLookingItUp() {
        stubOffers();
        wm.stubFor(get(urlPathEqualTo(V + "deployments")).willReturn(json("{\"data\":{\"deployments\":[],\"total\":0}}")));
        wm.stubFor(post(urlPathEqualTo(V + "deploy")).willReturn(json(
                "{\"status\":\"success\",\"data\":{\"deployment_id\":\"" + DEPLOYMENT_ID + "\"}}")));

        Lease lease = market().lease(cheapest(), LeaseTerms.of("intent-2", Duration.ofHours(1)));

        assertThat(lease.id()).isEqualTo(DEPLOYMENT_ID);
        assertThat(lease.state()).isEqualTo(Lease.State.PENDING);
        assertThat(lease.end()).contains(T0.plus(Duration.ofHours(1)));
        wm.verify(1, getRequestedFor(urlPathEqualTo(V + "deployments")));
    }

    @Test
    void leasingTwiceWithOneKeyDeploysOnce() {
        stubOffers();
        stubLeaseLifecycle();
        IonetMarket m = (IonetMarket) market();
        Offer offer = m.offers(spec()).get(0);

        Lease first = m.lease(offer, LeaseTerms.of("intent-lease-1", Duration.ofHours(2)));
        Lease again = market().lease(offer, LeaseTerms.of("intent-lease-1", Duration.ofHours(2)));

        assertThat(again.id()).isEqualTo(first.id());
        wm.verify(1, postRequestedFor(urlPathEqualTo(V + "deploy")));
    }

    @Test
    void aDeployThatIsNotListedYetIsRetriableAndNeverPostedTwice() {
        stubOffers();
        wm.stubFor(get(urlPathEqualTo(V + "deployments")).willReturn(json("{\"data\":{\"deployments\":[],\"total\":0}}")));
        wm.stubFor(post(urlPathEqualTo(V + "deploy")).willReturn(json("{}")));
        IonetMarket m = (IonetMarket) market();
        Offer offer = m.offers(spec()).get(0);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> m.lease(offer, LeaseTerms.of("intent-3", Duration.ofHours(1))))
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                        assertThat(e.retriable()).isTrue();
                        assertThat(e.getMessage()).contains(IonetMarket.privateName("intent-3"), "same idempotency key");
                    });
        }
        wm.verify(1, postRequestedFor(urlPathEqualTo(V + "deploy")));
    }

    @Test
    void aDeployIsNotRetriedAutomatically() {
        stubOffers();
        wm.stubFor(get(urlPathEqualTo(V + "deployments")).willReturn(json("{\"data\":{\"deployments\":[],\"total\":0}}")));
        wm.stubFor(post(urlPathEqualTo(V + "deploy")).willReturn(aResponse().withStatus(503).withBody("{\"detail\":\"busy\"}")));

        assertThatThrownBy(() -> market().lease(cheapest(), LeaseTerms.of("intent-4", Duration.ofHours(1))))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.status()).hasValue(503);
                });
        wm.verify(1, postRequestedFor(urlPathEqualTo(V + "deploy")));
    }

    @Test
    void a422FromDeployIsANonRetriableInvalidRequestListingEachDetail() {
        stubOffers();
        wm.stubFor(get(urlPathEqualTo(V + "deployments")).willReturn(json("{\"data\":{\"deployments\":[],\"total\":0}}")));
        wm.stubFor(post(urlPathEqualTo(V + "deploy")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"detail": [
                          {"loc": ["body", "gpus_per_vm"], "msg": "Input should be less than or equal to 4",
                           "type": "less_than_equal", "ctx": {"le": 4}},
                          {"loc": ["body", "location_ids", 0], "msg": "Location not available", "type": "value_error"}]}
                        """)));

        assertThatThrownBy(() -> market().lease(cheapest(), LeaseTerms.of("intent-5", Duration.ofHours(1))))
                .isInstanceOfSatisfying(ComputeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ComputeException.Reason.INVALID_REQUEST);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains(
                            "body.gpus_per_vm: Input should be less than or equal to 4 (less_than_equal)",
                            "body.location_ids.0: Location not available (value_error)");
                    assertThat(e.getCause()).isInstanceOfSatisfying(RemoteCallException.class,
                            c -> assertThat(c.body()).contains("\"ctx\""));
                });
        wm.verify(1, postRequestedFor(urlPathEqualTo(V + "deploy")));
    }

    @Test
    void anInvalidDeployRequestFailsBeforeAnythingIsSentNamingTheField() {
        stubOffers();
        Offer offer = cheapest();
        wm.resetRequests();
        Map<String, String> nineGpus = new HashMap<>(offer.details());
        nineGpus.put("gpus_per_vm", "9");
        Map<String, String> twoLocations = new HashMap<>(offer.details());
        twoLocations.put("location_id", "US,CA");
        Offer forgedGpus = new Offer(offer.market(), offer.providerId(), offer.offerId(), offer.resources(),
                offer.pricePerHour(), offer.minimumCharge(), offer.expiresAt(), nineGpus);
        Offer forgedLocations = new Offer(offer.market(), offer.providerId(), offer.offerId(), offer.resources(),
                offer.pricePerHour(), offer.minimumCharge(), offer.expiresAt(), twoLocations);
        Offer noHardware = new Offer(offer.market(), offer.providerId(), " ", offer.resources(), offer.pricePerHour(),
                offer.minimumCharge(), offer.expiresAt(), offer.details());

        Map<String, Runnable> cases = Map.of(
                "duration_hours", () -> market().lease(offer, LeaseTerms.of("k", Duration.ofDays(366))),
                "gpus_per_vm", () -> market().lease(forgedGpus, LeaseTerms.of("k", Duration.ofHours(1))),
                "location_ids", () -> market().lease(forgedLocations, LeaseTerms.of("k", Duration.ofHours(1))),
                "hardware_id", () -> market().lease(noHardware, LeaseTerms.of("k", Duration.ofHours(1))),
                "image", () -> market().lease(offer, new LeaseTerms("k", Duration.ofHours(1), Optional.of("nginx:1"), Map.of())),
                "env", () -> market().lease(offer, new LeaseTerms("k", Duration.ofHours(1), Optional.empty(), Map.of("A", "b"))));
        cases.forEach((field, call) -> assertThatThrownBy(call::run).as(field)
                .isInstanceOfSatisfying(ComputeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ComputeException.Reason.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains(field);
                }));
        assertThat(wm.getAllServeEvents()).as("nothing reached io.net").isEmpty();
    }

    @Test
    void anOfferOfAnotherMarketIsRefused() {
        stubOffers();
        Offer offer = cheapest();
        Offer akash = new Offer("akash", offer.providerId(), offer.offerId(), offer.resources(), offer.pricePerHour(),
                offer.minimumCharge(), offer.expiresAt(), offer.details());

        assertThatThrownBy(() -> market().lease(akash, LeaseTerms.of("k", Duration.ofHours(1))))
                .isInstanceOfSatisfying(ComputeException.class, e -> assertThat(e.getMessage()).contains("akash"));
    }

    // ---- status, extend, release ----------------------------------------------------------------

    @Test
    void statusReadsTheDeploymentItsCostAndItsEndpoints() {
        stubOffers();
        stubLeaseLifecycle();
        IonetMarket m = (IonetMarket) market();
        Lease lease = m.lease(cheapest(), LeaseTerms.of("intent-lease-1", Duration.ofHours(2)));
        clock.set(T0.plus(Duration.ofMinutes(31)));

        Lease now = m.status(lease);

        assertThat(now.state()).isEqualTo(Lease.State.ACTIVE);
        assertThat(now.start()).isEqualTo(Instant.parse("2026-03-01T12:01:00Z"));
        assertThat(now.end()).contains(T0.plus(Duration.ofMinutes(31 + 90)));
        assertThat(now.endpoints()).containsExactly(URI.create("tcp://203.0.113.7:31080"),
                URI.create("ssh://ubuntu@203.0.113.7:31022"));
        assertThat(now.costSoFar()).as("30 minutes served: still the first hour").isEqualTo(Money.ofUnits(USDC, 2_200_000));
        assertThat(now.details()).containsEntry("status", "running").containsEntry("amount_paid_usd", "4.4")
                .containsEntry("compute_minutes_served", "30").containsEntry("hardware_name", "H100 80GB PCIe");
    }

    @Test
    void extendingPostsWholeHoursOnceAndAddsThemToThePrepaidTime() {
        stubOffers();
        stubLeaseLifecycle();
        IonetMarket m = (IonetMarket) market();
        Lease lease = m.status(m.lease(cheapest(), LeaseTerms.of("intent-lease-1", Duration.ofHours(2))));

        Lease extended = m.extend(lease, Duration.ofMinutes(61));

        wm.verify(1, postRequestedFor(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID + "/extend"))
                .withRequestBody(equalToJson("{\"duration_hours\": 2}")));
        assertThat(extended.details()).containsEntry("duration_hours", "4").containsEntry("compute_minutes_remaining", "149");
        assertThat(extended.endpoints()).isEqualTo(lease.endpoints());
        assertThat(extended.state()).isEqualTo(Lease.State.ACTIVE);

        wm.stubFor(post(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID + "/extend"))
                .willReturn(aResponse().withStatus(502).withBody("bad gateway")));
        assertThatThrownBy(() -> m.extend(lease, Duration.ofHours(1))).isInstanceOf(RemoteCallException.class);
        wm.verify(2, postRequestedFor(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID + "/extend")));
    }

    @Test
    void anEndedLeaseCannotBeExtendedAndReleasingItAgainAsksNothing() {
        stubOffers();
        stubLeaseLifecycle();
        IonetMarket m = (IonetMarket) market();
        Lease released = m.release(m.lease(cheapest(), LeaseTerms.of("intent-lease-1", Duration.ofHours(2))));
        int requests = wm.getAllServeEvents().size();

        assertThatThrownBy(() -> m.extend(released, Duration.ofHours(1))).isInstanceOfSatisfying(ComputeException.class,
                e -> assertThat(e.reason()).isEqualTo(ComputeException.Reason.LEASE_ENDED));
        assertThat(m.release(released)).isEqualTo(released);
        assertThat(wm.getAllServeEvents()).hasSize(requests);
    }

    @Test
    void releasingChargesTheFirstHourThenTheExactTimeAndRefundsTheRest() {
        stubOffers();
        stubLeaseLifecycle();
        IonetMarket m = (IonetMarket) market();
        Offer offer = cheapest();

        Lease early = m.lease(offer, LeaseTerms.of("intent-lease-1", Duration.ofHours(3)));
        clock.set(early.start().plus(Duration.ofMinutes(10)));
        Lease closed = m.release(early);

        wm.verify(1, deleteRequestedFor(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID)));
        assertThat(closed.state()).isEqualTo(Lease.State.CLOSED);
        assertThat(closed.end()).contains(early.start().plus(Duration.ofMinutes(10)));
        assertThat(closed.costSoFar()).as("ten minutes cost the first hour").isEqualTo(Money.ofUnits(USDC, 2_200_000));
        assertThat(closed.details()).containsEntry("refund_usdc", "4.40").containsEntry("charged_usdc", "2.20");

        // The docs' example: three hours prepaid, deleted after 1.2 h: 1.2 h charged, 1.8 h refunded.
        Lease late = new Lease(early.id(), early.offer(), List.of(), Lease.State.ACTIVE, early.start(), early.end(),
                early.costSoFar(), early.details());
        clock.set(early.start().plus(Duration.ofMinutes(72)));
        Lease closedLate = m.release(late);
        assertThat(closedLate.costSoFar()).isEqualTo(Money.ofUnits(USDC, 2_640_000));
        assertThat(closedLate.details()).containsEntry("refund_usdc", "3.96");
    }

    @Test
    void unknownDeploymentsAreLeaseNotFoundAndReleasingOneIsClosed() {
        stubOffers();
        stubLeaseLifecycle();
        IonetMarket m = (IonetMarket) market();
        Lease lease = m.lease(cheapest(), LeaseTerms.of("intent-lease-1", Duration.ofHours(2)));
        wm.stubFor(get(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID)).willReturn(aResponse().withStatus(404)
                .withBody("{\"detail\":\"Deployment not found\"}")));
        wm.stubFor(delete(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID)).willReturn(aResponse().withStatus(404)
                .withBody("{\"detail\":\"Deployment not found\"}")));

        assertThatThrownBy(() -> m.status(lease)).isInstanceOfSatisfying(ComputeException.class, e -> {
            assertThat(e.reason()).isEqualTo(ComputeException.Reason.LEASE_NOT_FOUND);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("Deployment not found");
        });
        assertThat(m.release(lease).state()).isEqualTo(Lease.State.CLOSED);
        wm.verify(1, getRequestedFor(urlPathEqualTo(V + "deployment/" + DEPLOYMENT_ID)));
    }

    @Test
    void deploymentStatusesMapToLeaseStates() {
        assertThat(IonetMarket.state("deployment requested")).isEqualTo(Lease.State.PENDING);
        assertThat(IonetMarket.state("running")).isEqualTo(Lease.State.ACTIVE);
        assertThat(IonetMarket.state("Running ")).isEqualTo(Lease.State.ACTIVE);
        assertThat(IonetMarket.state("completed")).isEqualTo(Lease.State.CLOSED);
        assertThat(IonetMarket.state("termination requested")).isEqualTo(Lease.State.CLOSED);
        assertThat(IonetMarket.state("destroyed")).isEqualTo(Lease.State.CLOSED);
        assertThat(IonetMarket.state("failed")).isEqualTo(Lease.State.FAILED);
        assertThat(IonetMarket.state("rebalancing")).isEqualTo(Lease.State.PENDING);
    }

    @Test
    void validationDetailsFallBackToTheBody() {
        assertThat(IonetMarket.validationDetails("{\"detail\":\"Not enough IO credits\"}")).isEqualTo("Not enough IO credits");
        assertThat(IonetMarket.validationDetails("<html>oops</html>")).isEqualTo("<html>oops</html>");
        assertThat(IonetMarket.validationDetails("{\"error\":\"x\"}")).isEqualTo("{\"error\":\"x\"}");
    }

    @Test
    void privateNamesAreStableAndDistinctPerKey() {
        assertThat(IonetMarket.privateName("intent-1")).isEqualTo(IonetMarket.privateName("intent-1"))
                .isNotEqualTo(IonetMarket.privateName("intent-2")).hasSize(27);
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
