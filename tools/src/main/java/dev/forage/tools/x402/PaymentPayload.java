package dev.forage.tools.x402;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * What the client sends: v2 {@code PaymentPayload} in the {@code PAYMENT-SIGNATURE} header,
 * v1 in {@code X-PAYMENT}.
 *
 * @param x402Version 1 or 2
 * @param scheme the scheme paid with (v2: {@code accepted.scheme})
 * @param network the network paid on, as written (v2: {@code accepted.network})
 * @param resource v2: the resource paid for
 * @param accepted v2: the requirement chosen, echoed as the server sent it; empty in v1
 * @param payload the signed authorization
 * @param extensions v2 extensions echoed from the server
 */
public record PaymentPayload(
        int x402Version,
        String scheme,
        String network,
        Optional<ResourceInfo> resource,
        Optional<PaymentRequirements> accepted,
        ExactEvmPayload payload,
        Optional<ObjectNode> extensions) {

    public PaymentPayload {
        if (x402Version != 1 && x402Version != 2) {
            throw new IllegalArgumentException("x402Version must be 1 or 2, got " + x402Version);
        }
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(accepted, "accepted");
        if (x402Version == 2 && accepted.isEmpty()) {
            throw new IllegalArgumentException("a v2 payment payload names the requirement it accepted");
        }
        Objects.requireNonNull(payload, "payload");
        extensions = Objects.requireNonNull(extensions, "extensions").map(ObjectNode::deepCopy);
    }
}
