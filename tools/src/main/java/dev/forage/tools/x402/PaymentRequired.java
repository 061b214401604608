package dev.forage.tools.x402;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a resource server answers with HTTP 402: v2 {@code PaymentRequired} (in the
 * {@code PAYMENT-REQUIRED} header) or v1 {@code PaymentRequirementsResponse} (the body).
 *
 * @param x402Version 1 or 2
 * @param error why payment is required, for people
 * @param resource v2: the resource; empty in v1, where each requirement names it
 * @param accepts the ways to pay, in the server's order
 * @param extensions v2 protocol extensions, echoed by the client; empty object when absent
 */
public record PaymentRequired(
        int x402Version, Optional<String> error, Optional<ResourceInfo> resource, List<PaymentRequirements> accepts,
        Optional<ObjectNode> extensions) {

    public PaymentRequired {
        if (x402Version != 1 && x402Version != 2) {
            throw new IllegalArgumentException("x402Version must be 1 or 2, got " + x402Version);
        }
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(resource, "resource");
        accepts = List.copyOf(accepts);
        extensions = Objects.requireNonNull(extensions, "extensions").map(ObjectNode::deepCopy);
    }
}
