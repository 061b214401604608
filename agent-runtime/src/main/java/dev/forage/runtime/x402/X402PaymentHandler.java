package dev.forage.runtime.x402;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.tools.x402.Facilitator;
import dev.forage.tools.x402.PaymentPayload;
import dev.forage.tools.x402.PaymentRequired;
import dev.forage.tools.x402.PaymentRequirements;
import dev.forage.tools.x402.ResourceInfo;
import dev.forage.tools.x402.SettlementResponse;
import dev.forage.tools.x402.VerifyResponse;
import dev.forage.tools.x402.X402Codec;
import dev.forage.tools.x402.X402Exception;
import dev.forage.tools.x402.X402Networks;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards a route with x402: without a payment it answers 402 with the route's requirements
 * (v2 in the {@code PAYMENT-REQUIRED} header, v1 as the JSON body, each naming its own version's
 * payment header); with one
 * ({@code PAYMENT-SIGNATURE} or {@code X-PAYMENT}) it verifies and settles it through the
 * {@link Facilitator}, off the event loop, adds {@code PAYMENT-RESPONSE} (or
 * {@code X-PAYMENT-RESPONSE}) to the response and calls {@code ctx.next()}. The resource is
 * served only after settlement succeeded.
 *
 * <p>Status codes: 400 for a malformed payment header, 431 for one above the size limit, 402
 * when no payment was sent or the payment was refused (with the facilitator's reason), 500
 * when the facilitator failed. A refused payment's {@link SettlementResponse} goes in the
 * settlement header of the version it was sent in. Each authorization ({@code from}, {@code nonce}) is claimed
 * before verification, so two concurrent requests with the same payment cannot both be served.
 *
 * <p>The settled {@link SettlementResponse} is put in the routing context under
 * {@value #SETTLEMENT_KEY} for the handlers that follow. Settlement is asynchronous: a route
 * whose handlers read the request body needs a {@code BodyHandler} before this one.
 */
public final class X402PaymentHandler implements Handler<RoutingContext> {

    /** The routing-context key of the {@link SettlementResponse} of a paid request. */
    public static final String SETTLEMENT_KEY = "x402.settlement";

    private static final Logger LOG = LoggerFactory.getLogger(X402PaymentHandler.class);

    private final Vertx vertx;
    private final Facilitator facilitator;
    private final PaidRoute route;
    private final X402Codec codec;
    private final X402Networks networks;
    private final Clock clock;
    /** Claimed authorizations (payer/nonce) with the time their claim lapses (their validBefore). */
    private final Map<String, Long> claims = new ConcurrentHashMap<>();

    private X402PaymentHandler(Vertx vertx, Facilitator facilitator, PaidRoute route, X402Codec codec, X402Networks networks,
            Clock clock) {
        this.vertx = vertx;
        this.facilitator = facilitator;
        this.route = route;
        this.codec = codec;
        this.networks = networks;
        this.clock = clock;
    }

    /**
     * A handler charging {@code route}'s price through {@code facilitator}.
     *
     * @param codec the wire codec; its header limit bounds the payment headers read
     */
    public static X402PaymentHandler create(Vertx vertx, Facilitator facilitator, PaidRoute route, X402Codec codec,
            X402Networks networks, Clock clock) {
        return new X402PaymentHandler(vertx, facilitator, route, codec, networks, clock);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String url = ctx.request().absoluteURI();
        String v2Header = ctx.request().getHeader(X402Codec.PAYMENT_SIGNATURE);
        String v1Header = ctx.request().getHeader(X402Codec.X_PAYMENT);
        int version = v2Header != null && route.offers(2) ? 2 : v1Header != null && route.offers(1) ? 1 : 0;
        if (version == 0) {
            // Each version's document names the header of its own version (v1 clients do not know
            // PAYMENT-SIGNATURE), so the reason is worded per version.
            paymentRequired(ctx, url, v -> paymentHeader(v) + " header is required", 0, Optional.empty());
            return;
        }
        String headerName = paymentHeader(version);
        PaymentPayload payload;
        try {
            payload = codec.paymentPayload(codec.fromHeader(headerName, version == 2 ? v2Header : v1Header));
        } catch (X402Exception e) {
            int status = e.reason() == X402Exception.Reason.TOO_LARGE ? 431 : 400;
            error(ctx.response(), status, e.getMessage());
            return;
        }
        if (payload.x402Version() != version) {
            error(ctx.response(), 400, headerName + " carries an x402Version " + payload.x402Version() + " payload; send version "
                    + version + " in it");
            return;
        }
        PaymentRequirements offered = route.requirements(version, url, networks);
        boolean matches = version == 2
                ? payload.accepted().map(a -> a.samePaymentAs(offered)).orElse(false)
                : payload.scheme().equals(offered.scheme()) && payload.network().equals(offered.network());
        if (!matches) {
            paymentRequired(ctx, url, v -> "the payment does not accept this resource's requirements", version,
                    Optional.of(SettlementResponse.failure("invalid_payment_requirements",
                            Optional.of(payload.payload().authorization().from().value()), offered.network())));
            return;
        }
        String claim = payload.payload().authorization().from().lowercase() + "/" + payload.payload().authorization().nonce();
        if (!claim(claim, payload.payload().authorization().validBefore().longValue())) {
            paymentRequired(ctx, url, v -> "this authorization is already being used for another request", version,
                    Optional.of(SettlementResponse.failure("invalid_transaction_state",
                            Optional.of(payload.payload().authorization().from().value()), offered.network())));
            return;
        }
        Future<SettlementResponse> settled = vertx.executeBlocking(() -> {
            VerifyResponse verified = facilitator.verify(payload, offered);
            if (!verified.isValid()) {
                return SettlementResponse.failure(verified.invalidReason().orElse("invalid_payload"), verified.payer(),
                        offered.network());
            }
            return facilitator.settle(payload, offered);
        }, false);
        settled.onComplete(ar -> {
            if (ar.failed()) {
                claims.remove(claim);
                LOG.warn("x402 payment for {} failed in the facilitator: {}", url, ar.cause().toString());
                error(ctx.response(), 500, "the payment could not be processed; retry later");
                return;
            }
            SettlementResponse s = ar.result();
            if (!s.success()) {
                claims.remove(claim);
                paymentRequired(ctx, url, v -> "payment refused: " + s.errorReason().orElse("unknown"), version, Optional.of(s));
                return;
            }
            ctx.response().putHeader(version == 2 ? X402Codec.PAYMENT_RESPONSE : X402Codec.X_PAYMENT_RESPONSE,
                    codec.header(codec.toJson(s)));
            ctx.put(SETTLEMENT_KEY, s);
            ctx.next();
        });
    }

    private boolean claim(String key, long validBefore) {
        long now = clock.instant().getEpochSecond();
        claims.entrySet().removeIf(e -> e.getValue() < now);
        return claims.putIfAbsent(key, validBefore) == null;
    }

    /** The request header that carries a payment in {@code version}. */
    private static String paymentHeader(int version) {
        return version == 2 ? X402Codec.PAYMENT_SIGNATURE : X402Codec.X_PAYMENT;
    }

    /**
     * Answers 402: the v2 document in {@code PAYMENT-REQUIRED} when v2 is offered, and as the body
     * the v1 document when v1 is offered (else the v2 one again).
     *
     * @param why the reason in each version's document, given the version
     * @param paidVersion the version of the refused payment, 0 when none was sent; a
     *     {@code failure} goes in that version's settlement header
     */
    private void paymentRequired(RoutingContext ctx, String url, IntFunction<String> why, int paidVersion,
            Optional<SettlementResponse> failure) {
        HttpServerResponse response = ctx.response().setStatusCode(402).putHeader("Content-Type", "application/json");
        if (route.offers(2)) {
            response.putHeader(X402Codec.PAYMENT_REQUIRED, codec.header(codec.toJson(document(2, url, why))));
        }
        failure.ifPresent(f -> response.putHeader(paidVersion == 1 ? X402Codec.X_PAYMENT_RESPONSE : X402Codec.PAYMENT_RESPONSE,
                codec.header(codec.toJson(f))));
        response.end(codec.toJson(document(route.offers(1) ? 1 : 2, url, why)).toString());
    }

    private PaymentRequired document(int version, String url, IntFunction<String> why) {
        return version == 1
                ? new PaymentRequired(1, Optional.of(why.apply(1)), Optional.empty(), List.of(route.requirements(1, url, networks)),
                        Optional.empty())
                : new PaymentRequired(2, Optional.of(why.apply(2)),
                        Optional.of(new ResourceInfo(url, Optional.of(route.description()), Optional.of(route.mimeType()))),
                        List.of(route.requirements(2, url, networks)), Optional.empty());
    }

    private static void error(HttpServerResponse response, int status, String message) {
        ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("error", message);
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }
}
