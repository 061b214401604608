package dev.forage.runtime.devnet;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.runtime.x402.PaidRoute;
import dev.forage.runtime.x402.X402PaymentHandler;
import dev.forage.tools.settle.TestUsdc;
import dev.forage.tools.x402.Facilitator;
import dev.forage.tools.x402.X402Codec;
import dev.forage.tools.x402.X402Networks;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Set;

/**
 * A devnet compute provider's HTTP front: its GPU offer catalogue, sold per request over x402
 * ({@code GET /v1/offers}), and a cluster reservation priced far above the sample agent's
 * policy ({@code GET /v1/cluster-reservation}). Payments settle in TestUSDC through the
 * facilitator to the provider's address.
 */
final class DevnetProvider extends VerticleBase {

    /** The price of the offer catalogue: 0.05 USDC. */
    static final BigInteger OFFERS_PRICE = BigInteger.valueOf(50_000);
    /** The price of a cluster reservation: 5 USDC. */
    static final BigInteger CLUSTER_PRICE = BigInteger.valueOf(5_000_000);

    private final Facilitator facilitator;
    private final Address token;
    private final ChainId chain;
    private final Address payTo;
    private final Clock clock;
    private HttpServer server;

    DevnetProvider(Facilitator facilitator, Address token, ChainId chain, Address payTo, Clock clock) {
        this.facilitator = facilitator;
        this.token = token;
        this.chain = chain;
        this.payTo = payTo;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        X402Codec codec = X402Codec.standard();
        X402Networks networks = X402Networks.defaults();
        Router router = Router.router(vertx);
        router.get("/v1/offers")
                .handler(X402PaymentHandler.create(vertx, facilitator, route(OFFERS_PRICE, "GPU offer catalogue"), codec,
                        networks, clock))
                .handler(ctx -> ctx.json(offers()));
        router.get("/v1/cluster-reservation")
                .handler(X402PaymentHandler.create(vertx, facilitator, route(CLUSTER_PRICE, "8x H100 cluster reservation"),
                        codec, networks, clock))
                .handler(ctx -> ctx.json(new JsonObject().put("reservation", "cluster-8xh100").put("hours", 1)));
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(router)
                .listen()
                .onSuccess(s -> server = s);
    }

    /** The port it listens on, once started. */
    int port() {
        if (server == null) {
            throw new IllegalStateException("the devnet provider is not started");
        }
        return server.actualPort();
    }

    private PaidRoute route(BigInteger price, String description) {
        return new PaidRoute(price, token, TestUsdc.EIP712_NAME, TestUsdc.EIP712_VERSION, chain, payTo, 60, description,
                "application/json", Set.of(1, 2));
    }

    private JsonObject offers() {
        return new JsonObject()
                .put("provider", payTo.value())
                .put("offers", new JsonArray()
                        .add(offer("a100-80g", "NVIDIA A100 80GB", 1, "1.10"))
                        .add(offer("h100-80g", "NVIDIA H100 80GB", 1, "2.05"))
                        .add(offer("l4-24g", "NVIDIA L4 24GB", 1, "0.38")));
    }

    private static JsonObject offer(String id, String gpu, int count, String usdcPerHour) {
        return new JsonObject().put("id", id).put("gpu", gpu).put("count", count)
                .put("price", usdcPerHour + " USDC").put("unit", "gpu-hour");
    }
}
