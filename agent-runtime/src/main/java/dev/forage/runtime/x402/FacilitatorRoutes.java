package dev.forage.runtime.x402;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.tools.x402.Facilitator;
import dev.forage.tools.x402.X402Codec;
import dev.forage.tools.x402.X402Exception;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A facilitator's HTTP endpoints on a Vert.x {@link Router}: {@code POST /verify} and
 * {@code POST /settle} take {@code {x402Version, paymentPayload, paymentRequirements}} and
 * answer a {@code VerifyResponse} / {@code SettlementResponse} (HTTP 200, also when the payment
 * is invalid); {@code GET /supported} answers a {@code SupportedResponse}. A malformed body
 * gets 400 with {@code invalidReason}/{@code errorReason} {@code invalid_payload}, a body above
 * the limit 413. The facilitator runs off the event loop.
 */
public final class FacilitatorRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(FacilitatorRoutes.class);

    private FacilitatorRoutes() {}

    /** Mounts the three endpoints on {@code router} under {@code prefix} (e.g. {@code ""} or {@code "/x402"}). */
    public static Router mount(Vertx vertx, Router router, String prefix, Facilitator facilitator, X402Codec codec) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(codec.maxBodyBytes());
        router.post(prefix + "/verify").handler(body).handler(ctx -> withRequest(ctx, codec, "isValid", "invalidReason",
                request -> codec.toJson(facilitator.verify(request.payload(), request.requirements())), vertx));
        router.post(prefix + "/settle").handler(body).handler(ctx -> withRequest(ctx, codec, "success", "errorReason",
                request -> codec.toJson(facilitator.settle(request.payload(), request.requirements())), vertx));
        router.get(prefix + "/supported").handler(ctx -> respond(ctx, vertx, () -> codec.toJson(facilitator.supported())));
        return router;
    }

    private interface Call {
        ObjectNode apply(X402Codec.FacilitatorRequest request) throws Exception;
    }

    private static void withRequest(RoutingContext ctx, X402Codec codec, String okField, String reasonField, Call call, Vertx vertx) {
        X402Codec.FacilitatorRequest request;
        try {
            byte[] bytes = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
            request = codec.facilitatorRequest(codec.fromBody(bytes, "the request body"));
        } catch (X402Exception e) {
            ObjectNode answer = JsonNodeFactory.instance.objectNode().put(okField, false).put(reasonField, "invalid_payload")
                    .put("error", e.getMessage());
            json(ctx.response(), e.reason() == X402Exception.Reason.TOO_LARGE ? 413 : 400, answer);
            return;
        }
        respond(ctx, vertx, () -> call.apply(request));
    }

    private static void respond(RoutingContext ctx, Vertx vertx, Callable<ObjectNode> work) {
        vertx.executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                json(ctx.response(), 200, ar.result());
            } else {
                LOG.warn("facilitator call {} failed: {}", ctx.request().path(), ar.cause().toString());
                json(ctx.response(), 500, JsonNodeFactory.instance.objectNode().put("error", "facilitator failure; retry later"));
            }
        });
    }

    private static void json(HttpServerResponse response, int status, ObjectNode body) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }
}
