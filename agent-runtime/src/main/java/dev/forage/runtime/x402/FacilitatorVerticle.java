package dev.forage.runtime.x402;

import dev.forage.tools.x402.Facilitator;
import dev.forage.tools.x402.X402Codec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * An x402 facilitator served over HTTP on {@code host:port} (port 0 picks a free one; read it
 * back with {@link #port()} once deployed).
 */
public final class FacilitatorVerticle extends VerticleBase {

    private final Facilitator facilitator;
    private final X402Codec codec;
    private final String host;
    private final int requestedPort;
    private volatile HttpServer server;

    public FacilitatorVerticle(Facilitator facilitator, X402Codec codec, String host, int port) {
        this.facilitator = facilitator;
        this.codec = codec;
        this.host = host;
        this.requestedPort = port;
    }

    @Override
    public Future<?> start() {
        Router router = FacilitatorRoutes.mount(vertx, Router.router(vertx), "", facilitator, codec);
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(requestedPort))
                .requestHandler(router)
                .listen()
                .onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /**
     * The port the facilitator listens on.
     *
     * @throws IllegalStateException before the verticle is deployed
     */
    public int port() {
        HttpServer s = server;
        if (s == null) {
            throw new IllegalStateException("the facilitator is not listening yet; deploy the verticle and wait for it");
        }
        return s.actualPort();
    }
}
