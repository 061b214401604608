package dev.forage.tools.x402;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.identity.Signature;
import dev.forage.identity.eip712.Eip712;
import dev.forage.identity.keys.InMemorySigner;
import dev.forage.tools.settle.PaymentDeniedException;
import dev.forage.tools.settle.PaymentGuards;
import dev.forage.tools.settle.TransferAuthorization;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.settle.spi.PaymentRequest;
import dev.forage.tools.testing.CountingSigner;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

/**
 * The paying client against a WireMock resource server on a loopback port: requirement
 * selection, the guard asked before any signature, the exact shapes of the v1 and v2 payment
 * headers, the typed receipt, and a typed error (with nothing signed) for every refusal.
 */
class X402ClientTest {

    private static final ChainId CHAIN = ChainId.eip155(31337);
    private static final Address TOKEN = Address.parse("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static final Address OTHER_TOKEN = Address.parse("0x036CbD53842c5426634e7929541eC2318f3dCF7e");
    private static final Address PAY_TO = Address.parse("0x209693Bc6afc0C5328bA36FaF03C514EF312287C");
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final X402Codec codec = X402Codec.standard();
    private WireMockServer server;
    private CountingSigner payer;

    @BeforeEach
    void start() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        payer = new CountingSigner(InMemorySigner.generate());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void paysAV2ChallengeAndReturnsTheTypedReceipt() {
        PaymentRequirements offered = PaymentRequirements.exactV2("eip155:31337", BigInteger.valueOf(10_000), TOKEN.value(),
                PAY_TO.value(), 60, "USD Coin", "2");
        stubV2Challenge(List.of(offered));
        String tx = "0x" + "ab".repeat(32);
        server.stubFor(get(urlEqualTo("/data")).atPriority(1).withHeader(X402Codec.PAYMENT_SIGNATURE, matching(".+"))
                .willReturn(aResponse().withStatus(200).withHeader(X402Codec.PAYMENT_RESPONSE, codec.header(codec.toJson(
                        new SettlementResponse(true, Optional.empty(), Optional.of(payer.address().value()), tx, "eip155:31337"))))
                        .withBody("{\"data\":42}")));

        X402Response response = client(PaymentGuards.allowAll(), BigInteger.valueOf(1_000_000)).send(request(), "intent-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("{\"data\":42}");
        PaymentReceipt receipt = response.receipt().orElseThrow();
        assertThat(receipt.transaction()).isEqualTo(tx);
        assertThat(receipt.x402Version()).isEqualTo(2);
        assertThat(receipt.chain()).isEqualTo(CHAIN);
        assertThat(receipt.amount()).isEqualTo(BigInteger.valueOf(10_000));
        assertThat(receipt.payTo()).isEqualTo(PAY_TO);
        assertThat(receipt.nonce()).isEqualTo(TransferAuthorization.nonceFor("intent-1"));
        assertThat(payer.signatures()).isEqualTo(1);

        ObjectNode sent = codec.fromHeader(X402Codec.PAYMENT_SIGNATURE, paidRequest().getHeader(X402Codec.PAYMENT_SIGNATURE));
        assertThat(sent.get("x402Version").asInt()).isEqualTo(2);
        assertThat(sent.get("accepted").toString()).as("the chosen requirement is echoed as offered").isEqualTo(offered.raw().toString());
        assertThat(sent.get("resource").get("url").asText()).isEqualTo(url());
        PaymentPayload payload = codec.paymentPayload(sent);
        TransferAuthorization a = payload.payload().authorization();
        assertThat(a.from()).isEqualTo(payer.address());
        assertThat(a.to()).isEqualTo(PAY_TO);
        assertThat(a.value()).isEqualTo(BigInteger.valueOf(10_000));
        assertThat(a.validAfter()).isEqualTo(BigInteger.valueOf(NOW.getEpochSecond() - X402Client.VALID_AFTER_SKEW_SECONDS));
        assertThat(a.validBefore()).isEqualTo(BigInteger.valueOf(NOW.getEpochSecond() + 60));
        Address signer = Eip712.recover(Eip712.digest(a.typedData("USD Coin", "2", CHAIN, TOKEN)),
                Signature.of(Numeric.hexStringToByteArray(payload.payload().signature())));
        assertThat(signer).isEqualTo(payer.address());
    }

    @Test
    void paysAV1ChallengeWithAnXPaymentHeader() {
        PaymentRequirements offered = PaymentRequirements.exactV1("anvil", BigInteger.valueOf(2_500), TOKEN.value(),
                PAY_TO.value(), 30, "USD Coin", "2", url(), "premium data");
        PaymentRequired challenge = new PaymentRequired(1, Optional.of("X-PAYMENT header is required"), Optional.empty(),
                List.of(offered), Optional.empty());
        server.stubFor(get(urlEqualTo("/data")).atPriority(2).withHeader(X402Codec.X_PAYMENT, absent())
                .willReturn(aResponse().withStatus(402).withHeader("Content-Type", "application/json")
                        .withBody(codec.toJson(challenge).toString())));
        String tx = "0x" + "cd".repeat(32);
        server.stubFor(get(urlEqualTo("/data")).atPriority(1).withHeader(X402Codec.X_PAYMENT, matching(".+"))
                .willReturn(aResponse().withStatus(200).withHeader(X402Codec.X_PAYMENT_RESPONSE, codec.header(codec.toJson(
                        new SettlementResponse(true, Optional.empty(), Optional.of(payer.address().value()), tx, "anvil"))))
                        .withBody("ok")));

        X402Response response = client(PaymentGuards.allowAll(), BigInteger.valueOf(1_000_000)).send(request(), "intent-v1");

        assertThat(response.receipt().orElseThrow().x402Version()).isEqualTo(1);
        assertThat(response.receipt().orElseThrow().transaction()).isEqualTo(tx);
        ObjectNode sent = codec.fromHeader(X402Codec.X_PAYMENT, server.findAll(getRequestedFor(urlEqualTo("/data"))).stream()
                .filter(r -> r.containsHeader(X402Codec.X_PAYMENT)).findFirst().orElseThrow().getHeader(X402Codec.X_PAYMENT));
        assertThat(sent.get("x402Version").asInt()).isEqualTo(1);
        assertThat(sent.get("scheme").asText()).isEqualTo("exact");
        assertThat(sent.get("network").asText()).isEqualTo("anvil");
        assertThat(sent.has("accepted")).isFalse();
        assertThat(sent.get("payload").get("authorization").get("value").asText()).isEqualTo("2500");
    }

    @Test
    void picksTheCheapestRequirementItCanPay() {
        stubV2Challenge(List.of(
                requirement("upto", "eip155:31337", TOKEN, 1),
                requirement("exact", "eip155:8453", TOKEN, 2),
                requirement("exact", "eip155:31337", TOKEN, 20_000),
                requirement("exact", "eip155:31337", TOKEN, 15_000),
                requirement("exact", "eip155:31337", OTHER_TOKEN, 3)));
        stubPaid();

        X402Response response = client(PaymentGuards.allowAll(), BigInteger.valueOf(1_000_000)).send(request(), "cheapest");

        assertThat(response.receipt().orElseThrow().amount()).isEqualTo(BigInteger.valueOf(15_000));
    }

    @Test
    void aGuardDenialSignsNothingAndSendsNoPayment() {
        stubV2Challenge(List.of(requirement("exact", "eip155:31337", TOKEN, 10_000)));
        List<PaymentRequest> asked = new ArrayList<>();
        PaymentGuard guard = request -> {
            asked.add(request);
            return PaymentGuards.denyAll("budget 'gpu' exhausted").check(request);
        };

        assertThatThrownBy(() -> client(guard, BigInteger.valueOf(1_000_000)).send(request(), "intent-denied"))
                .isInstanceOfSatisfying(PaymentDeniedException.class, e -> assertThat(e.reasons()).containsExactly("budget 'gpu' exhausted"))
                .hasMessageContaining("nothing was signed");
        assertThat(payer.signatures()).isZero();
        assertThat(server.findAll(getRequestedFor(urlEqualTo("/data")))).hasSize(1)
                .allSatisfy(r -> assertThat(r.containsHeader(X402Codec.PAYMENT_SIGNATURE)).isFalse());
        PaymentRequest request = asked.get(0);
        assertThat(request.id()).isEqualTo("intent-denied");
        assertThat(request.action()).isEqualTo(PaymentRequest.X402);
        assertThat(request.payer()).isEqualTo(payer.address());
        assertThat(request.payee()).isEqualTo(PAY_TO);
        assertThat(request.asset()).isEqualTo(TOKEN);
        assertThat(request.network()).isEqualTo(CHAIN);
        assertThat(request.amount()).isEqualTo(BigInteger.valueOf(10_000));
        assertThat(request.resource()).isEqualTo(url());
        assertThat(request.scheme()).isEqualTo("exact");
    }

    @Test
    void anAmountAboveTheGuardsCapIsDeniedWithoutASignature() {
        stubV2Challenge(List.of(requirement("exact", "eip155:31337", TOKEN, 10_000)));

        assertThatThrownBy(() -> client(PaymentGuards.perPaymentCap(BigInteger.valueOf(5_000)), BigInteger.valueOf(1_000_000))
                .send(request(), "intent-cap"))
                .isInstanceOf(PaymentDeniedException.class).hasMessageContaining("above the per-payment cap 5000");
        assertThat(payer.signatures()).isZero();
    }

    @Test
    void unpayableChallengesAreTypedErrorsWithNothingSigned() {
        assertThat(refusal(List.of(requirement("upto", "eip155:31337", TOKEN, 1)), BigInteger.TEN.pow(9)))
                .isEqualTo(X402Exception.Reason.UNSUPPORTED_SCHEME);
        assertThat(refusal(List.of(requirement("exact", "eip155:8453", TOKEN, 1), requirement("exact", "solana:mainnet", TOKEN, 1)),
                BigInteger.TEN.pow(9))).isEqualTo(X402Exception.Reason.UNSUPPORTED_NETWORK);
        assertThat(refusal(List.of(requirement("exact", "eip155:31337", OTHER_TOKEN, 1)), BigInteger.TEN.pow(9)))
                .isEqualTo(X402Exception.Reason.UNSUPPORTED_ASSET);
        assertThat(refusal(List.of(requirement("exact", "eip155:31337", TOKEN, 10_001)), BigInteger.valueOf(10_000)))
                .isEqualTo(X402Exception.Reason.AMOUNT_TOO_HIGH);
        assertThat(refusal(List.of(), BigInteger.TEN)).isEqualTo(X402Exception.Reason.UNSUPPORTED_SCHEME);
        assertThat(payer.signatures()).isZero();
    }

    @Test
    void malformedOrOversizedChallengesAreTypedErrorsWithNothingSigned() {
        server.stubFor(get(urlEqualTo("/bad")).willReturn(aResponse().withStatus(402)
                .withHeader(X402Codec.PAYMENT_REQUIRED, "%%% not base64 %%%")));
        server.stubFor(get(urlEqualTo("/big")).willReturn(aResponse().withStatus(402)
                .withHeader(X402Codec.PAYMENT_REQUIRED, "A".repeat(X402Codec.DEFAULT_MAX_HEADER_CHARS + 4))));
        server.stubFor(get(urlEqualTo("/junk")).willReturn(aResponse().withStatus(402).withBody("<html>pay me</html>")));
        X402Client client = client(PaymentGuards.allowAll(), BigInteger.TEN.pow(9));

        assertThatThrownBy(() -> client.send(request("/bad"), "k1"))
                .isInstanceOfSatisfying(X402Exception.class, e -> assertThat(e.reason()).isEqualTo(X402Exception.Reason.MALFORMED));
        assertThatThrownBy(() -> client.send(request("/big"), "k2"))
                .isInstanceOfSatisfying(X402Exception.class, e -> assertThat(e.reason()).isEqualTo(X402Exception.Reason.TOO_LARGE));
        assertThatThrownBy(() -> client.send(request("/junk"), "k3"))
                .isInstanceOfSatisfying(X402Exception.class, e -> assertThat(e.reason()).isEqualTo(X402Exception.Reason.MALFORMED));
        assertThat(payer.signatures()).isZero();
    }

    @Test
    void aRefusedPaymentIsATypedErrorWithTheServersReason() {
        stubV2Challenge(List.of(requirement("exact", "eip155:31337", TOKEN, 10_000)));
        server.stubFor(get(urlEqualTo("/data")).atPriority(1).withHeader(X402Codec.PAYMENT_SIGNATURE, matching(".+"))
                .willReturn(aResponse().withStatus(402).withHeader(X402Codec.PAYMENT_RESPONSE, codec.header(codec.toJson(
                        SettlementResponse.failure("insufficient_funds", Optional.of(payer.address().value()), "eip155:31337"))))));

        assertThatThrownBy(() -> client(PaymentGuards.allowAll(), BigInteger.TEN.pow(9)).send(request(), "poor"))
                .isInstanceOfSatisfying(X402Exception.class, e -> assertThat(e.reason()).isEqualTo(X402Exception.Reason.PAYMENT_REJECTED))
                .hasMessageContaining("insufficient_funds");
    }

    @Test
    void aRefusalGivesTheReasonThatTheReferenceServerPutsInThePaymentRequiredHeader() {
        // Given a server that, like the reference v2 server, answers a payment that fails
        // verification with a new 402 whose PAYMENT-REQUIRED header carries the error, and an
        // empty JSON body and no settlement header,
        PaymentRequirements offered = requirement("exact", "eip155:31337", TOKEN, 10_000);
        stubV2Challenge(List.of(offered));
        PaymentRequired refusal = new PaymentRequired(2, Optional.of("invalid_exact_evm_payload_signature"),
                Optional.of(ResourceInfo.of(url())), List.of(offered), Optional.empty());
        server.stubFor(get(urlEqualTo("/data")).atPriority(1).withHeader(X402Codec.PAYMENT_SIGNATURE, matching(".+"))
                .willReturn(aResponse().withStatus(402).withHeader(X402Codec.PAYMENT_REQUIRED, codec.header(codec.toJson(refusal)))
                        .withBody("{}")));

        // then the typed refusal names that error.
        assertThatThrownBy(() -> client(PaymentGuards.allowAll(), BigInteger.TEN.pow(9)).send(request(), "bad-sig"))
                .isInstanceOfSatisfying(X402Exception.class, e -> assertThat(e.reason()).isEqualTo(X402Exception.Reason.PAYMENT_REJECTED))
                .hasMessageEndingWith("(HTTP 402): invalid_exact_evm_payload_signature")
                .hasMessageNotContaining("no reason given");
    }

    @Test
    void aRefusalsReasonComesFromTheSettlementHeaderThenPaymentRequiredThenTheBody() {
        PaymentRequirements offered = requirement("exact", "eip155:31337", TOKEN, 10_000);
        String required = codec.header(codec.toJson(new PaymentRequired(2, Optional.of("from_payment_required"),
                Optional.of(ResourceInfo.of(url())), List.of(offered), Optional.empty())));
        String settlement = codec.header(codec.toJson(
                SettlementResponse.failure("from_settlement", Optional.of(payer.address().value()), "eip155:31337")));
        String body = "{\"x402Version\":2,\"error\":\"from_body\"}";

        assertThat(refusalReason(offered, aResponse().withStatus(402).withHeader(X402Codec.PAYMENT_RESPONSE, settlement)
                .withHeader(X402Codec.PAYMENT_REQUIRED, required).withBody(body))).isEqualTo("from_settlement");
        assertThat(refusalReason(offered, aResponse().withStatus(402).withHeader(X402Codec.PAYMENT_REQUIRED, required)
                .withBody(body))).isEqualTo("from_payment_required");
        // A header without an error, or one that is not base64 JSON, gives way to the body.
        String noError = codec.header(JsonNodeFactory.instance.objectNode().put("x402Version", 2));
        assertThat(refusalReason(offered, aResponse().withStatus(402).withHeader(X402Codec.PAYMENT_REQUIRED, noError)
                .withBody(body))).isEqualTo("from_body");
        assertThat(refusalReason(offered, aResponse().withStatus(402).withHeader(X402Codec.PAYMENT_REQUIRED, "not base64!")
                .withBody(body))).isEqualTo("from_body");
        assertThat(refusalReason(offered, aResponse().withStatus(402).withBody("not json"))).isEqualTo("no reason given");
    }

    @Test
    void aFreeResponseIsReturnedWithoutPaying() {
        server.stubFor(get(urlEqualTo("/free")).willReturn(aResponse().withStatus(200).withBody("free")));

        X402Response response = client(PaymentGuards.denyAll("never"), BigInteger.ZERO).send(request("/free"), "free");

        assertThat(response.bodyText()).isEqualTo("free");
        assertThat(response.receipt()).isEmpty();
        assertThat(payer.signatures()).isZero();
    }

    @Test
    void theSameIdempotencyKeyAlwaysSignsTheSameNonce() {
        stubV2Challenge(List.of(requirement("exact", "eip155:31337", TOKEN, 10_000)));
        stubPaid();
        X402Client client = client(PaymentGuards.allowAll(), BigInteger.TEN.pow(9));

        String first = client.send(request(), "retry-me").receipt().orElseThrow().nonce();
        String second = client.send(request(), "retry-me").receipt().orElseThrow().nonce();
        String other = client.send(request(), "another").receipt().orElseThrow().nonce();

        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    /** The reason a refused payment reports when the paid request gets {@code refusal}. */
    private String refusalReason(PaymentRequirements offered, ResponseDefinitionBuilder refusal) {
        server.resetAll();
        stubV2Challenge(List.of(offered));
        server.stubFor(get(urlEqualTo("/data")).atPriority(1).withHeader(X402Codec.PAYMENT_SIGNATURE, matching(".+"))
                .willReturn(refusal));
        try {
            client(PaymentGuards.allowAll(), BigInteger.TEN.pow(9)).send(request(), "refused");
        } catch (X402Exception e) {
            assertThat(e.reason()).isEqualTo(X402Exception.Reason.PAYMENT_REJECTED);
            return e.getMessage().substring(e.getMessage().indexOf("(HTTP 402): ") + "(HTTP 402): ".length());
        }
        throw new AssertionError("the refused payment was not reported");
    }

    private X402Exception.Reason refusal(List<PaymentRequirements> accepts, BigInteger max) {
        server.resetAll();
        stubV2Challenge(accepts);
        try {
            client(PaymentGuards.allowAll(), max).send(request(), "refused");
            return null;
        } catch (X402Exception e) {
            assertThat(e.getMessage()).contains("nothing was signed");
            return e.reason();
        }
    }

    private PaymentRequirements requirement(String scheme, String network, Address asset, long amount) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode().put("name", "USD Coin").put("version", "2");
        ObjectNode raw = JsonNodeFactory.instance.objectNode().put("scheme", scheme).put("network", network)
                .put("amount", Long.toString(amount)).put("asset", asset.value()).put("payTo", PAY_TO.value())
                .put("maxTimeoutSeconds", 60);
        raw.set("extra", extra);
        return codec.requirements(raw, 2);
    }

    private void stubV2Challenge(List<PaymentRequirements> accepts) {
        PaymentRequired challenge = new PaymentRequired(2, Optional.of("PAYMENT-SIGNATURE header is required"),
                Optional.of(ResourceInfo.of(url())), accepts, Optional.empty());
        server.stubFor(get(urlEqualTo("/data")).atPriority(2).withHeader(X402Codec.PAYMENT_SIGNATURE, absent())
                .willReturn(aResponse().withStatus(402).withHeader(X402Codec.PAYMENT_REQUIRED, codec.header(codec.toJson(challenge)))
                        .withBody("{}")));
    }

    private void stubPaid() {
        server.stubFor(get(urlEqualTo("/data")).atPriority(1).withHeader(X402Codec.PAYMENT_SIGNATURE, matching(".+"))
                .willReturn(aResponse().withStatus(200).withHeader(X402Codec.PAYMENT_RESPONSE, codec.header(codec.toJson(
                        new SettlementResponse(true, Optional.empty(), Optional.of(payer.address().value()), "0x" + "ef".repeat(32),
                                "eip155:31337")))).withBody("paid")));
    }

    private LoggedRequest paidRequest() {
        return server.findAll(getRequestedFor(urlEqualTo("/data"))).stream()
                .filter(r -> r.containsHeader(X402Codec.PAYMENT_SIGNATURE)).findFirst().orElseThrow();
    }

    private X402Client client(PaymentGuard guard, BigInteger max) {
        return new X402Client(new X402Client.Config(HttpClient.newHttpClient(), payer, guard, Map.of(CHAIN, Set.of(TOKEN)), max,
                X402Networks.defaults(), codec, X402Client.DEFAULT_MAX_RESPONSE_BYTES, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private String url() {
        return "http://127.0.0.1:" + server.port() + "/data";
    }

    private HttpRequest request() {
        return request("/data");
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build();
    }
}
