package dev.forage.tools.x402;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The final HTTP response of an x402 exchange and, if a payment was made, its receipt.
 *
 * @param statusCode the HTTP status
 * @param headers the response headers
 * @param body the response body
 * @param receipt the settled payment, when the request was paid for
 */
public record X402Response(int statusCode, HttpHeaders headers, byte[] body, Optional<PaymentReceipt> receipt) {

    public X402Response {
        Objects.requireNonNull(headers, "headers");
        body = body.clone();
        Objects.requireNonNull(receipt, "receipt");
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
