package dev.forage.runtime.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.keys.InMemorySigner;
import dev.forage.identity.testing.AnvilExtension;
import dev.forage.tools.settle.PaymentDeniedException;
import dev.forage.tools.settle.PaymentGuards;
import dev.forage.tools.settle.TestUsdc;
import dev.forage.tools.settle.TransferAuthorization;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.x402.ExactEvmFacilitator;
import dev.forage.tools.x402.ExactEvmPayload;
import dev.forage.tools.x402.HttpFacilitatorClient;
import dev.forage.tools.x402.PaymentPayload;
import dev.forage.tools.x402.PaymentReceipt;
import dev.forage.tools.x402.PaymentRequired;
import dev.forage.tools.x402.PaymentRequirements;
import dev.forage.tools.x402.SettlementResponse;
import dev.forage.tools.x402.SupportedResponse;
import dev.forage.tools.x402.X402Client;
import dev.forage.tools.x402.X402Codec;
import dev.forage.tools.x402.X402Exception;
import dev.forage.tools.x402.X402Networks;
import dev.forage.tools.x402.X402Response;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The devnet x402 stack end to end, all real: Anvil with TestUSDC, the facilitator served by a
 * {@link FacilitatorVerticle} on 127.0.0.1:0, a Vert.x resource server whose routes are guarded
 * by {@link X402PaymentHandler} calling that facilitator over HTTP, and the Java
 * {@link X402Client} paying for them in x402 v1 and v2.
 */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class X402ServerIT {

    private static final BigInteger PRICE = BigInteger.valueOf(25_000);

    private final X402Codec codec = X402Codec.withLimits(16 * 1024, 64 * 1024);
    private final X402Networks networks = X402Networks.defaults();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger resourceRequests = new AtomicInteger();
    private Vertx vertx;
    private Anvil anvil;
    private TestUsdc usdc;
    private Signer deployer;
    private Signer payer;
    private Address payTo;
    private ExactEvmFacilitator facilitator;
    private HttpFacilitatorClient remoteFacilitator;
    private int facilitatorPort;
    private int port;

    @BeforeAll
    void start(Anvil anvil) throws Exception {
        this.anvil = anvil;
        vertx = Vertx.vertx();
        deployer = anvil.fundedAccount(10);
        payer = anvil.fundedAccount(10);
        payTo = InMemorySigner.generate().address();
        usdc = TestUsdc.deploy(anvil.chain(), deployer);
        usdc.mint(deployer, payer.address(), BigInteger.valueOf(10_000_000));
        facilitator = new ExactEvmFacilitator(anvil.chain(), anvil.fundedAccount(10), Set.of(usdc.address()), networks);

        FacilitatorVerticle verticle = new FacilitatorVerticle(facilitator, codec, "127.0.0.1", 0);
        await(vertx.deployVerticle(verticle));
        facilitatorPort = verticle.port();
        remoteFacilitator = new HttpFacilitatorClient(http, URI.create("http://127.0.0.1:" + facilitatorPort), codec, Duration.ofSeconds(30));

        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            resourceRequests.incrementAndGet();
            ctx.next();
        });
        mount(router, "/v2/data", Set.of(2));
        mount(router, "/v1/data", Set.of(1));
        mount(router, "/both/data", Set.of(1, 2));
        HttpServer server = await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setMaxHeaderSize(32 * 1024).setInitialSettings(new Http2Settings().setMaxHeaderListSize(32 * 1024)))
                .requestHandler(router).listen());
        port = server.actualPort();
    }

    private void mount(Router router, String path, Set<Integer> versions) {
        PaidRoute route = new PaidRoute(PRICE, usdc.address(), TestUsdc.EIP712_NAME, TestUsdc.EIP712_VERSION, anvil.chain().chainId(),
                payTo, 60, "premium data", "application/json", versions);
        router.get(path).handler(X402PaymentHandler.create(vertx, remoteFacilitator, route, codec, networks, Clock.systemUTC()))
                .handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end("{\"data\":42}"));
    }

    @AfterAll
    void stop() throws Exception {
        await(vertx.close());
    }

    @Test
    void paysAV2RouteThroughTheHttpFacilitator() {
        BigInteger before = usdc.balanceOf(payTo);

        X402Response response = client(PaymentGuards.allowAll(), payer).send(get("/v2/data"), "v2-intent");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("{\"data\":42}");
        PaymentReceipt receipt = response.receipt().orElseThrow();
        assertThat(receipt.x402Version()).isEqualTo(2);
        assertThat(receipt.payer()).isEqualTo(payer.address());
        assertThat(receipt.payTo()).isEqualTo(payTo);
        assertThat(anvil.chain().receipt(receipt.transaction()).orElseThrow().from()).isEqualTo(facilitator.address());
        assertThat(usdc.balanceOf(payTo)).isEqualTo(before.add(PRICE));
    }

    @Test
    void paysAV1RouteWithXPayment() {
        BigInteger before = usdc.balanceOf(payTo);

        X402Response response = client(PaymentGuards.allowAll(), payer).send(get("/v1/data"), "v1-intent");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(X402Codec.X_PAYMENT_RESPONSE)).isPresent();
        assertThat(response.receipt().orElseThrow().x402Version()).isEqualTo(1);
        assertThat(usdc.balanceOf(payTo)).isEqualTo(before.add(PRICE));
    }

    @Test
    void answers402WithV2InTheHeaderAndV1InTheBody() throws Exception {
        HttpResponse<String> response = http.send(get("/both/data"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(402);
        PaymentRequired v2 = codec.paymentRequired(codec.fromHeader(X402Codec.PAYMENT_REQUIRED,
                response.headers().firstValue(X402Codec.PAYMENT_REQUIRED).orElseThrow()));
        assertThat(v2.x402Version()).isEqualTo(2);
        assertThat(v2.resource().orElseThrow().url()).isEqualTo("http://127.0.0.1:" + port + "/both/data");
        PaymentRequirements r = v2.accepts().get(0);
        assertThat(r.network()).isEqualTo("eip155:31337");
        assertThat(r.amount()).isEqualTo(PRICE);
        assertThat(r.asset()).isEqualTo(usdc.address().value());
        assertThat(r.payTo()).isEqualTo(payTo.value());
        assertThat(r.tokenName()).contains("USD Coin");
        assertThat(r.tokenVersion()).contains("2");
        PaymentRequired v1 = codec.paymentRequired(codec.fromBody(response.body().getBytes(StandardCharsets.UTF_8), "body"));
        assertThat(v1.x402Version()).isEqualTo(1);
        assertThat(v1.accepts().get(0).network()).isEqualTo("anvil");
        assertThat(v1.accepts().get(0).raw().get("maxAmountRequired").asText()).isEqualTo(PRICE.toString());
        // Each document names the payment header of its own version.
        assertThat(v2.error()).contains("PAYMENT-SIGNATURE header is required");
        assertThat(v1.error()).contains("X-PAYMENT header is required");
    }

    @Test
    void aSingleVersionRoutesBodyNamesItsVersionsHeader() throws Exception {
        HttpResponse<String> v1Only = http.send(get("/v1/data"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> v2Only = http.send(get("/v2/data"), HttpResponse.BodyHandlers.ofString());

        assertThat(v1Only.headers().firstValue(X402Codec.PAYMENT_REQUIRED)).isEmpty();
        assertThat(codec.paymentRequired(codec.fromBody(v1Only.body().getBytes(StandardCharsets.UTF_8), "body")).error())
                .contains("X-PAYMENT header is required");
        PaymentRequired v2Body = codec.paymentRequired(codec.fromBody(v2Only.body().getBytes(StandardCharsets.UTF_8), "body"));
        assertThat(v2Body.x402Version()).isEqualTo(2);
        assertThat(v2Body.error()).contains("PAYMENT-SIGNATURE header is required");
    }

    @Test
    void aRefusedV1PaymentOnARouteOfferingBothIsAnsweredInV1Headers() throws Exception {
        // Given a v1 payment for another network, sent in X-PAYMENT to a route offering v1 and v2,
        long now = anvil.chain().latestBlockTime().getEpochSecond();
        TransferAuthorization a = new TransferAuthorization(payer.address(), payTo, PRICE, BigInteger.valueOf(now - 600),
                BigInteger.valueOf(now + 60), TransferAuthorization.nonceFor("v1-wrong-network"));
        PaymentPayload wrongNetwork = new PaymentPayload(1, "exact", "base", Optional.empty(), Optional.empty(),
                ExactEvmPayload.of(usdc.signAuthorization(payer, a), a), Optional.empty());
        BigInteger before = usdc.balanceOf(payTo);

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/both/data"))
                .header(X402Codec.X_PAYMENT, codec.header(codec.toJson(wrongNetwork))).GET().build(), HttpResponse.BodyHandlers.ofString());

        // then the refusal comes back in the v1 settlement header, not the v2 one, and nothing is paid.
        assertThat(refused.statusCode()).isEqualTo(402);
        assertThat(refused.headers().firstValue(X402Codec.PAYMENT_RESPONSE)).isEmpty();
        SettlementResponse failure = codec.settlementResponse(codec.fromHeader(X402Codec.X_PAYMENT_RESPONSE,
                refused.headers().firstValue(X402Codec.X_PAYMENT_RESPONSE).orElseThrow()));
        assertThat(failure.success()).isFalse();
        assertThat(failure.errorReason()).contains("invalid_payment_requirements");
        assertThat(codec.paymentRequired(codec.fromBody(refused.body().getBytes(StandardCharsets.UTF_8), "body")).error())
                .contains("the payment does not accept this resource's requirements");
        assertThat(usdc.balanceOf(payTo)).isEqualTo(before);
    }

    @Test
    void refusesMalformedAndOversizedPaymentHeaders() throws Exception {
        HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(uri("/v2/data"))
                .header(X402Codec.PAYMENT_SIGNATURE, "not-base64!!").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(uri("/v2/data"))
                .header(X402Codec.PAYMENT_SIGNATURE, java.util.Base64.getEncoder().encodeToString("{\"x402Version\":2".getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> oversized = http.send(HttpRequest.newBuilder(uri("/v2/data"))
                .header(X402Codec.PAYMENT_SIGNATURE, "A".repeat(20 * 1024)).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("not base64");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(oversized.statusCode()).isEqualTo(431);
        assertThat(oversized.body()).contains("limit of 16384");
    }

    @Test
    void aReplayedPaymentIsRefusedAndPaysOnce() throws Exception {
        String header = paymentHeader("replay-me");
        BigInteger before = usdc.balanceOf(payTo);

        HttpResponse<String> first = http.send(paid("/v2/data", header), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> replay = http.send(paid("/v2/data", header), HttpResponse.BodyHandlers.ofString());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(402);
        SettlementResponse refused = codec.settlementResponse(codec.fromHeader(X402Codec.PAYMENT_RESPONSE,
                replay.headers().firstValue(X402Codec.PAYMENT_RESPONSE).orElseThrow()));
        assertThat(refused.success()).isFalse();
        assertThat(refused.errorReason()).contains("invalid_transaction_state");
        assertThat(usdc.balanceOf(payTo)).isEqualTo(before.add(PRICE));
    }

    @Test
    void theSamePaymentSentTwiceAtOnceIsServedOnce() throws Exception {
        String header = paymentHeader("concurrent");
        BigInteger before = usdc.balanceOf(payTo);
        Callable<Integer> send = () -> http.send(paid("/v2/data", header), HttpResponse.BodyHandlers.discarding()).statusCode();

        List<Integer> statuses;
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            statuses = pool.invokeAll(List.of(send, send, send, send)).stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }

        assertThat(statuses).containsOnlyOnce(200).filteredOn(s -> s != 200).containsOnly(402);
        assertThat(usdc.balanceOf(payTo)).isEqualTo(before.add(PRICE));
    }

    @Test
    void retryingAPaidKeyNeverPaysTwice() {
        X402Client client = client(PaymentGuards.allowAll(), payer);
        client.send(get("/v2/data"), "paid-once");
        BigInteger after = usdc.balanceOf(payTo);

        assertThatThrownBy(() -> client.send(get("/v2/data"), "paid-once"))
                .isInstanceOfSatisfying(X402Exception.class, e -> assertThat(e.reason()).isEqualTo(X402Exception.Reason.PAYMENT_REJECTED))
                .hasMessageContaining("invalid_transaction_state");
        assertThat(usdc.balanceOf(payTo)).isEqualTo(after);
    }

    @Test
    void aGuardDenialSignsNothingAndTheServerSeesNoPayment() {
        AtomicInteger signatures = new AtomicInteger();
        Signer counting = new Signer() {
            @Override
            public Address address() {
                return payer.address();
            }

            @Override
            public Signature sign(byte[] digest) {
                signatures.incrementAndGet();
                return payer.sign(digest);
            }
        };
        int before = resourceRequests.get();

        assertThatThrownBy(() -> client(PaymentGuards.perPaymentCap(PRICE.subtract(BigInteger.ONE)), counting).send(get("/v2/data"), "capped"))
                .isInstanceOf(PaymentDeniedException.class);
        assertThat(signatures.get()).isZero();
        assertThat(resourceRequests.get() - before).as("only the unpaid request reached the server").isEqualTo(1);
    }

    @Test
    void theFacilitatorEndpointsSpeakX402() throws Exception {
        SupportedResponse supported = remoteFacilitator.supported();
        assertThat(supported.kinds()).extracting(SupportedResponse.Kind::network).containsExactly("eip155:31337", "anvil");
        assertThat(supported.signers()).containsEntry("eip155:*", List.of(facilitator.address().value()));

        HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + facilitatorPort + "/verify"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"paymentPayload\":{}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        ObjectNode answer = codec.fromBody(malformed.body().getBytes(StandardCharsets.UTF_8), "answer");
        assertThat(answer.get("isValid").asBoolean()).isFalse();
        assertThat(answer.get("invalidReason").asText()).isEqualTo("invalid_payload");

        HttpResponse<String> huge = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + facilitatorPort + "/settle"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    private String paymentHeader(String key) {
        PaymentRequirements req = PaymentRequirements.exactV2("eip155:31337", PRICE, usdc.address().value(), payTo.value(), 60,
                TestUsdc.EIP712_NAME, TestUsdc.EIP712_VERSION);
        long now = anvil.chain().latestBlockTime().getEpochSecond();
        TransferAuthorization a = new TransferAuthorization(payer.address(), payTo, PRICE, BigInteger.valueOf(now - 600),
                BigInteger.valueOf(now + 60), TransferAuthorization.nonceFor(key));
        PaymentPayload payload = new PaymentPayload(2, "exact", req.network(), Optional.empty(), Optional.of(req),
                ExactEvmPayload.of(usdc.signAuthorization(payer, a), a), Optional.empty());
        return codec.header(codec.toJson(payload));
    }

    private X402Client client(PaymentGuard guard, Signer signer) {
        return new X402Client(new X402Client.Config(http, signer, guard, Map.of(anvil.chain().chainId(), Set.of(usdc.address())),
                BigInteger.valueOf(1_000_000), networks, codec, X402Client.DEFAULT_MAX_RESPONSE_BYTES, Clock.systemUTC()));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET().build();
    }

    private HttpRequest paid(String path, String header) {
        return HttpRequest.newBuilder(uri(path)).header(X402Codec.PAYMENT_SIGNATURE, header).GET().build();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
