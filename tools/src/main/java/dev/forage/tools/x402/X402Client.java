package dev.forage.tools.x402;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import dev.forage.tools.settle.PaymentGuards;
import dev.forage.tools.settle.TransferAuthorization;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.settle.spi.PaymentRequest;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Pays for HTTP resources with x402 (versions 1 and 2, scheme {@code exact} on EVM).
 *
 * <p>{@link #send} makes the request; on HTTP 402 it reads the payment requirements (v2:
 * the {@code PAYMENT-REQUIRED} header; v1: the JSON body), picks the cheapest one it can pay
 * (scheme {@code exact}, a configured network and token, an amount within its own limit),
 * asks the {@link PaymentGuard}, and only then signs an EIP-3009 authorization with the
 * agent's {@link Signer}. It repeats the request with {@code PAYMENT-SIGNATURE} (v2) or
 * {@code X-PAYMENT} (v1) and returns the response with a typed receipt read from
 * {@code PAYMENT-RESPONSE} / {@code X-PAYMENT-RESPONSE}.
 *
 * <p>The authorization's nonce is derived from the idempotency key
 * ({@link TransferAuthorization#nonceFor}), so however often a payment is retried, the token
 * executes at most one authorization for it.
 */
public final class X402Client {

    /** How far before now an authorization becomes valid, for clock skew (the reference client's 10 minutes). */
    public static final long VALID_AFTER_SKEW_SECONDS = 600;

    /** The default limit on a paid response's body: 8 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

    private final Config config;

    /**
     * What the client needs.
     *
     * @param http the HTTP client
     * @param payer the agent's key; signs authorizations
     * @param guard asked before every signature
     * @param assets the tokens it pays with, per chain
     * @param maxAmountPerPayment the client's own hard limit per payment, base units (the
     *     guard may be stricter)
     * @param networks v1 network names
     * @param codec the wire codec with its size limits
     * @param maxResponseBytes the largest paid response body read
     * @param clock the time authorizations are valid from
     */
    public record Config(HttpClient http, Signer payer, PaymentGuard guard, Map<ChainId, Set<Address>> assets,
            BigInteger maxAmountPerPayment, X402Networks networks, X402Codec codec, int maxResponseBytes, Clock clock) {
        public Config {
            Objects.requireNonNull(http, "http");
            Objects.requireNonNull(payer, "payer");
            Objects.requireNonNull(guard, "guard");
            assets = Map.copyOf(assets);
            if (maxAmountPerPayment == null || maxAmountPerPayment.signum() < 0) {
                throw new IllegalArgumentException("maxAmountPerPayment must be zero or more base units, got " + maxAmountPerPayment);
            }
            Objects.requireNonNull(networks, "networks");
            Objects.requireNonNull(codec, "codec");
            if (maxResponseBytes <= 0) {
                throw new IllegalArgumentException("maxResponseBytes must be positive, got " + maxResponseBytes);
            }
            Objects.requireNonNull(clock, "clock");
        }

        /** A config paying with {@code token} on {@code chain}, default limits, codec, names and system clock. */
        public static Config of(HttpClient http, Signer payer, PaymentGuard guard, ChainId chain, Address token,
                BigInteger maxAmountPerPayment) {
            return new Config(http, payer, guard, Map.of(chain, Set.of(token)), maxAmountPerPayment, X402Networks.defaults(),
                    X402Codec.standard(), DEFAULT_MAX_RESPONSE_BYTES, Clock.systemUTC());
        }

        /** The same config with {@code codec}. */
        public Config withCodec(X402Codec codec) {
            return new Config(http, payer, guard, assets, maxAmountPerPayment, networks, codec, maxResponseBytes, clock);
        }

        /** The same config with {@code clock}. */
        public Config withClock(Clock clock) {
            return new Config(http, payer, guard, assets, maxAmountPerPayment, networks, codec, maxResponseBytes, clock);
        }
    }

    /**
     * The requirement chosen to pay, resolved.
     *
     * @param requirements as offered
     * @param chain its chain
     * @param asset its token
     * @param payTo its payee
     */
    public record Choice(PaymentRequirements requirements, ChainId chain, Address asset, Address payTo) {}

    public X402Client(Config config) {
        this.config = config;
    }

    /**
     * Sends {@code request}, paying for it if the server answers 402.
     *
     * @param idempotencyKey the payment's idempotency key (the intent id)
     * @return the final response; {@link X402Response#receipt()} is present when a payment settled
     * @throws X402Exception UNSUPPORTED_SCHEME / _NETWORK / _ASSET or AMOUNT_TOO_HIGH when no
     *     offered requirement can be paid (nothing is signed), MALFORMED or TOO_LARGE for bad
     *     headers or bodies, PAYMENT_REJECTED when the server refuses the payment (with the reason
     *     taken from, in order, the settlement response header, the {@code PAYMENT-REQUIRED}
     *     header's {@code error}, or the body's {@code error}), TRANSPORT for
     *     connection failures
     * @throws dev.forage.tools.settle.PaymentDeniedException when the guard refuses (nothing is signed)
     */
    public X402Response send(HttpRequest request, String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Raw first = exchange(request);
        if (first.status() != 402) {
            return new X402Response(first.status(), first.response().headers(), first.body(), Optional.empty());
        }
        PaymentRequired required = paymentRequired(first);
        Choice choice = choose(required);
        String resource = required.resource().map(ResourceInfo::url)
                .or(() -> choice.requirements().resource()).orElse(request.uri().toString());
        PaymentRequest ask = new PaymentRequest(idempotencyKey, PaymentRequest.X402, config.payer().address(), choice.payTo(),
                choice.asset(), choice.chain(), choice.requirements().amount(), resource, "exact");
        PaymentGuards.require(config.guard(), ask);
        PaymentPayload payload = sign(required, choice, idempotencyKey);
        String header = required.x402Version() == 2 ? X402Codec.PAYMENT_SIGNATURE : X402Codec.X_PAYMENT;
        HttpRequest paid = HttpRequest.newBuilder(request, (name, value) -> true)
                .header(header, config.codec().header(config.codec().toJson(payload))).build();
        Raw second = exchange(paid);
        String responseHeader = required.x402Version() == 2 ? X402Codec.PAYMENT_RESPONSE : X402Codec.X_PAYMENT_RESPONSE;
        Optional<SettlementResponse> settlement = second.response().headers().firstValue(responseHeader)
                .map(v -> config.codec().settlementResponse(config.codec().fromHeader(responseHeader, v)));
        if (second.status() == 402 || settlement.map(s -> !s.success()).orElse(false)) {
            String why = settlement.flatMap(SettlementResponse::errorReason)
                    .or(() -> paymentRequiredError(second))
                    .or(() -> bodyError(second))
                    .orElse("no reason given");
            throw new X402Exception(X402Exception.Reason.PAYMENT_REJECTED, "the server at " + request.uri()
                    + " refused the payment of " + choice.requirements().amount() + " base units to " + choice.payTo()
                    + " (HTTP " + second.status() + "): " + why);
        }
        Optional<PaymentReceipt> receipt = settlement.filter(SettlementResponse::success).map(s -> new PaymentReceipt(
                idempotencyKey, required.x402Version(), choice.chain(), s.transaction(), config.payer().address(), choice.payTo(),
                choice.asset(), payload.payload().authorization().value(), payload.payload().authorization().nonce(), resource));
        return new X402Response(second.status(), second.response().headers(), second.body(), receipt);
    }

    /**
     * Picks the cheapest requirement this client can pay. Nothing is signed.
     *
     * @throws X402Exception naming, for each offered requirement, why it cannot be paid
     */
    public Choice choose(PaymentRequired required) {
        List<Choice> acceptable = new ArrayList<>();
        List<String> why = new ArrayList<>();
        int furthest = 0;
        for (PaymentRequirements r : required.accepts()) {
            String label = r.scheme() + " on " + r.network() + " in " + r.asset();
            if (!"exact".equals(r.scheme())) {
                why.add(label + ": scheme '" + r.scheme() + "' is not supported (only 'exact')");
                continue;
            }
            Optional<ChainId> chain = config.networks().chainOf(r.network());
            if (chain.isEmpty() || !config.assets().containsKey(chain.get())) {
                furthest = Math.max(furthest, 1);
                why.add(label + ": network '" + r.network() + "' is not one this client pays on " + config.assets().keySet());
                continue;
            }
            Optional<Address> asset = address(r.asset());
            if (asset.isEmpty() || !config.assets().get(chain.get()).contains(asset.get())) {
                furthest = Math.max(furthest, 2);
                why.add(label + ": asset " + r.asset() + " is not a token this client pays with " + config.assets().get(chain.get()));
                continue;
            }
            Optional<Address> payTo = address(r.payTo());
            if (payTo.isEmpty() || r.tokenName().isEmpty() || r.tokenVersion().isEmpty()) {
                furthest = Math.max(furthest, 2);
                why.add(label + ": payTo must be an address and extra must name the token's EIP-712 name and version");
                continue;
            }
            if (r.amount().compareTo(config.maxAmountPerPayment()) > 0) {
                furthest = Math.max(furthest, 3);
                why.add(label + ": amount " + r.amount() + " is above this client's limit of " + config.maxAmountPerPayment());
                continue;
            }
            acceptable.add(new Choice(r, chain.get(), asset.get(), payTo.get()));
        }
        if (acceptable.isEmpty()) {
            X402Exception.Reason reason = switch (furthest) {
                case 0 -> X402Exception.Reason.UNSUPPORTED_SCHEME;
                case 1 -> X402Exception.Reason.UNSUPPORTED_NETWORK;
                case 2 -> X402Exception.Reason.UNSUPPORTED_ASSET;
                default -> X402Exception.Reason.AMOUNT_TOO_HIGH;
            };
            throw new X402Exception(reason, "no offered payment requirement can be paid, nothing was signed: "
                    + (why.isEmpty() ? "the server offered none" : String.join("; ", why)));
        }
        return acceptable.stream().min(Comparator.comparing((Choice c) -> c.requirements().amount())).orElseThrow();
    }

    private PaymentPayload sign(PaymentRequired required, Choice choice, String idempotencyKey) {
        PaymentRequirements r = choice.requirements();
        long now = config.clock().instant().getEpochSecond();
        TransferAuthorization authorization = new TransferAuthorization(config.payer().address(), choice.payTo(), r.amount(),
                BigInteger.valueOf(Math.max(0, now - VALID_AFTER_SKEW_SECONDS)), BigInteger.valueOf(now + r.maxTimeoutSeconds()),
                TransferAuthorization.nonceFor(idempotencyKey));
        Signature signature = config.payer().signTypedData(
                authorization.typedData(r.tokenName().orElseThrow(), r.tokenVersion().orElseThrow(), choice.chain(), choice.asset()));
        ExactEvmPayload payload = ExactEvmPayload.of(signature, authorization);
        if (required.x402Version() == 1) {
            return new PaymentPayload(1, r.scheme(), r.network(), Optional.empty(), Optional.empty(), payload, Optional.empty());
        }
        return new PaymentPayload(2, r.scheme(), r.network(), required.resource(), Optional.of(r), payload, required.extensions());
    }

    private PaymentRequired paymentRequired(Raw raw) {
        Optional<String> header = raw.response().headers().firstValue(X402Codec.PAYMENT_REQUIRED);
        if (header.isPresent()) {
            return config.codec().paymentRequired(config.codec().fromHeader(X402Codec.PAYMENT_REQUIRED, header.get()));
        }
        ObjectNode body = config.codec().fromBody(raw.body(), "the 402 body");
        return config.codec().paymentRequired(body);
    }

    /**
     * The {@code error} of a refusal's {@code PAYMENT-REQUIRED} header: where the reference v2
     * server puts why it refused a payment (verification failed), often with an empty body.
     * Only that field is read, so a header that is otherwise incomplete still gives its reason.
     */
    private Optional<String> paymentRequiredError(Raw raw) {
        return raw.response().headers().firstValue(X402Codec.PAYMENT_REQUIRED).flatMap(value -> {
            try {
                return nonBlank(config.codec().fromHeader(X402Codec.PAYMENT_REQUIRED, value).path("error").asText(""));
            } catch (X402Exception e) {
                // An unreadable header must not hide the refusal itself; the body may still say why.
                return Optional.empty();
            }
        });
    }

    /** The {@code error} of a JSON response body (v1 puts it there), if it is JSON and has one. */
    private Optional<String> bodyError(Raw raw) {
        try {
            return nonBlank(config.codec().fromBody(raw.body(), "the response body").path("error").asText(""));
        } catch (X402Exception e) {
            return Optional.empty();
        }
    }

    private static Optional<String> nonBlank(String text) {
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    private record Raw(HttpResponse<InputStream> response, int status, byte[] body) {}

    private Raw exchange(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = config.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            int limit = response.statusCode() == 402 ? config.codec().maxBodyBytes() : config.maxResponseBytes();
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(limit + 1);
            }
            if (body.length > limit) {
                throw new X402Exception(X402Exception.Reason.TOO_LARGE, "the response of " + request.uri() + " (HTTP "
                        + response.statusCode() + ") is larger than the limit of " + limit + " bytes");
            }
            return new Raw(response, response.statusCode(), body);
        } catch (IOException e) {
            throw new X402Exception(X402Exception.Reason.TRANSPORT, request.method() + " " + request.uri() + " failed: "
                    + e.getMessage() + "; retrying with the same idempotency key is safe", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new X402Exception(X402Exception.Reason.TRANSPORT, "interrupted during " + request.uri(), e);
        }
    }

    private static Optional<Address> address(String text) {
        try {
            return Optional.of(Address.parse(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "X402Client[" + config.payer().address() + "]";
    }
}
