package dev.forage.tools.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.http.ProviderResilience;
import dev.forage.tools.http.RemoteCallException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ComputeMarket} adapter passes, against WireMock stubs of its API
 * built from the documented shapes. A subclass creates the adapter pointed at {@link #wm}
 * with the key variable {@link #KEY_VARIABLE} read from {@link #environment}, and stubs each
 * scenario; the scenarios and their assertions are the same for every market.
 */
public abstract class ComputeMarketContract {

    /** The environment variable every adapter under test reads its key from. */
    protected static final String KEY_VARIABLE = "FORAGE_TEST_MARKET_KEY";
    /** The key value in the test environment (not a real key). */
    protected static final String KEY_VALUE = "test-key-not-a-secret";
    /** The billing asset: USDC on a devnet chain. */
    protected static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    /** Resilience for tests: 3 attempts, no backoff, 2 s per attempt. */
    protected static final ProviderResilience.Settings RESILIENCE = ProviderResilience.Settings.defaults()
            .withoutBackoff().withCallTimeout(Duration.ofSeconds(2));

    /** The stubbed API, on a dynamic loopback port. */
    protected WireMockServer wm;
    /** The environment the adapter reads its key from. */
    protected final Map<String, String> environment = new HashMap<>();

    @BeforeEach
    void startStubs() {
        wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        environment.put(KEY_VARIABLE, KEY_VALUE);
    }

    @AfterEach
    void stopStubs() {
        wm.stop();
    }

    /** The adapter under test, created anew for each call (it reads {@link #wm}'s port). */
    protected abstract ComputeMarket market();

    /** A spec that the stubbed offers partly satisfy (some stubbed offers must not match it). */
    protected abstract ComputeSpec spec();

    /**
     * Stubs the market's offer listing with at least two offers that satisfy {@link #spec()}
     * and at least one that does not, with unknown extra fields in every object.
     */
    protected abstract void stubOffers();

    /** The hourly price of the cheapest matching stubbed offer, converted exactly. */
    protected abstract Money cheapestHourlyPrice();

    /** Stubs taking an offer, its status (active, with an endpoint), extending and releasing it. */
    protected abstract void stubLeaseLifecycle();

    /** Makes the offer listing answer {@code status} with {@code body} and these headers. */
    protected abstract void stubOffersError(int status, String body, Map<String, String> headers);

    /** Makes the offer listing answer 200 with JSON that lacks the fields the market documents as required. */
    protected abstract void stubOffersMalformed();

    /** Makes the offer listing answer 200 after {@code delay}. */
    protected abstract void stubOffersSlow(Duration delay);

    /** How many requests reached the offer listing. */
    protected abstract int offerListingRequests();

    @Test
    void offersSatisfyTheSpecArePricedInTheBillingAssetAndCheapestFirst() {
        stubOffers();

        List<Offer> offers = market().offers(spec());

        assertThat(offers).hasSizeGreaterThanOrEqualTo(2);
        assertThat(offers).allSatisfy(o -> {
            assertThat(o.resources().satisfies(spec())).as("offer %s satisfies %s", o.offerId(), spec()).isTrue();
            assertThat(o.pricePerHour().asset()).isEqualTo(USDC);
            assertThat(o.market()).isEqualTo(market().id());
        });
        assertThat(offers).extracting(Offer::pricePerHour).isSorted();
        assertThat(offers.get(0).pricePerHour()).isEqualTo(cheapestHourlyPrice());
    }

    @Test
    void anOfferCanBeLeasedWatchedExtendedAndReleased() {
        stubOffers();
        stubLeaseLifecycle();
        ComputeMarket market = market();
        Offer offer = market.offers(spec()).get(0);

        Lease lease = market.lease(offer, LeaseTerms.of("intent-lease-1", Duration.ofHours(1)));
        assertThat(lease.state()).isIn(Lease.State.PENDING, Lease.State.ACTIVE);
        assertThat(lease.offer()).isEqualTo(offer);

        Lease active = market.status(lease);
        assertThat(active.state()).isEqualTo(Lease.State.ACTIVE);
        assertThat(active.id()).isEqualTo(lease.id());
        assertThat(active.endpoints()).isNotEmpty();

        Lease extended = market.extend(active, Duration.ofHours(1));
        assertThat(extended.state()).isEqualTo(Lease.State.ACTIVE);

        Lease released = market.release(extended);
        assertThat(released.state()).isEqualTo(Lease.State.CLOSED);
        assertThat(released.costSoFar().asset()).isEqualTo(USDC);
    }

    @Test
    void theKeyComesFromTheNamedVariableAndAMissingOneFailsBeforeAnyRequest() {
        stubOffers();
        market().offers(spec());
        assertThat(wm.getAllServeEvents()).isNotEmpty().allSatisfy(e ->
                assertThat(e.getRequest().getAllHeaderKeys().stream().map(e.getRequest()::getHeader))
                        .anySatisfy(v -> assertThat(v).contains(KEY_VALUE)));

        environment.remove(KEY_VARIABLE);
        int before = wm.getAllServeEvents().size();
        assertThatThrownBy(() -> market().offers(spec()))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.NOT_CONFIGURED);
                    assertThat(e.getMessage()).contains(KEY_VARIABLE).doesNotContain(KEY_VALUE);
                });
        assertThat(wm.getAllServeEvents()).hasSize(before);
    }

    @Test
    void unauthorisedIsNotRetriableAndCarriesTheProvidersBody() {
        stubOffersError(401, "{\"error\":\"Unauthorized\",\"message\":\"invalid api key\"}", Map.of());

        assertThatThrownBy(() -> market().offers(spec())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.retriable()).isFalse();
            assertThat(e.status()).hasValue(401);
            assertThat(e.body()).contains("invalid api key");
        });
        assertThat(offerListingRequests()).as("a 401 is not retried").isEqualTo(1);
    }

    @Test
    void clientErrorsAreNotRetried() {
        for (int status : new int[] {400, 403, 404, 422}) {
            wm.resetAll();
            stubOffersError(status, "{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"bad\",\"type\":\"value_error\"}]}", Map.of());

            assertThatThrownBy(() -> market().offers(spec())).as("HTTP %d", status)
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                        assertThat(e.retriable()).isFalse();
                        assertThat(e.status()).hasValue(status);
                    });
            assertThat(offerListingRequests()).as("HTTP %d is not retried", status).isEqualTo(1);
        }
    }

    @Test
    void rateLimitsAreRetriableWithTheServersWait() {
        stubOffersError(429, "{\"error\":\"TooManyRequests\",\"message\":\"slow down\"}", Map.of("Retry-After", "0"));

        assertThatThrownBy(() -> market().offers(spec())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.retriable()).isTrue();
            assertThat(e.status()).hasValue(429);
            assertThat(e.retryAfter()).contains(Duration.ZERO);
        });
        assertThat(offerListingRequests()).as("retried up to the attempt limit").isEqualTo(RESILIENCE.maxAttempts());
    }

    @Test
    void serverErrorsAreRetriableAndRetried() {
        stubOffersError(500, "{\"error\":\"InternalServerError\",\"message\":\"boom\"}", Map.of());

        assertThatThrownBy(() -> market().offers(spec())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.retriable()).isTrue();
            assertThat(e.body()).contains("boom");
        });
        assertThat(offerListingRequests()).isEqualTo(RESILIENCE.maxAttempts());
    }

    @Test
    void aResponseWithoutRequiredFieldsIsAMalformedResponse() {
        stubOffersMalformed();

        assertThatThrownBy(() -> market().offers(spec())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.MALFORMED_RESPONSE);
            assertThat(e.retriable()).isFalse();
        });
    }

    @Test
    void aSlowAnswerTimesOutAsRetriable() {
        stubOffersSlow(RESILIENCE.callTimeout().plusSeconds(1));

        assertThatThrownBy(() -> market().offers(spec())).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.TIMEOUT);
            assertThat(e.retriable()).isTrue();
        });
    }
}
