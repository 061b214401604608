package dev.forage.tools.x402;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A {@link Facilitator} reached over HTTP: {@code POST {base}/verify}, {@code POST {base}/settle}
 * and {@code GET {base}/supported}, with the x402 JSON bodies.
 */
public final class HttpFacilitatorClient implements Facilitator {

    private final HttpClient http;
    private final URI base;
    private final X402Codec codec;
    private final Duration timeout;

    /**
     * @param http the HTTP client
     * @param base the facilitator's base URL, e.g. {@code http://127.0.0.1:8402/}
     * @param codec the wire codec (its body limit bounds the answers read)
     * @param timeout how long one call may take
     */
    public HttpFacilitatorClient(HttpClient http, URI base, X402Codec codec, Duration timeout) {
        this.http = http;
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.codec = codec;
        this.timeout = timeout;
    }

    @Override
    public VerifyResponse verify(PaymentPayload payload, PaymentRequirements requirements) {
        return codec.verifyResponse(post("verify", codec.facilitatorRequest(payload, requirements)));
    }

    @Override
    public SettlementResponse settle(PaymentPayload payload, PaymentRequirements requirements) {
        return codec.settlementResponse(post("settle", codec.facilitatorRequest(payload, requirements)));
    }

    @Override
    public SupportedResponse supported() {
        return codec.supportedResponse(exchange(HttpRequest.newBuilder(base.resolve("supported")).GET(), "supported"));
    }

    private ObjectNode post(String path, ObjectNode body) {
        return exchange(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)), path);
    }

    private ObjectNode exchange(HttpRequest.Builder builder, String path) {
        URI uri = base.resolve(path);
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = http.send(builder.timeout(timeout).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(codec.maxBodyBytes() + 1);
            }
        } catch (IOException e) {
            throw new X402Exception(X402Exception.Reason.TRANSPORT, "facilitator " + uri + " could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new X402Exception(X402Exception.Reason.TRANSPORT, "interrupted while calling facilitator " + uri, e);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429 || status == 408) {
            throw new X402Exception(X402Exception.Reason.TRANSPORT, "facilitator " + uri + " answered HTTP " + status + "; retry later");
        }
        if (status >= 300 && status != 400 && status != 402) {
            throw new X402Exception(X402Exception.Reason.PAYMENT_REJECTED, "facilitator " + uri + " answered HTTP " + status);
        }
        return codec.fromBody(body, "facilitator " + path + " answer");
    }

    @Override
    public String toString() {
        return "HttpFacilitatorClient[" + base + "]";
    }
}
