package dev.forage.tools.x402;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The facilitator's answer to {@code GET /supported}.
 *
 * @param kinds the (version, scheme, network) combinations it settles
 * @param extensions the extension ids it implements
 * @param signers CAIP-2 patterns ({@code eip155:*}) to the addresses it signs settlements with
 */
public record SupportedResponse(List<Kind> kinds, List<String> extensions, Map<String, List<String>> signers) {

    /**
     * One supported combination.
     *
     * @param x402Version 1 or 2
     * @param scheme e.g. {@code exact}
     * @param network as written in that version
     * @param extra scheme-specific configuration
     */
    public record Kind(int x402Version, String scheme, String network, Optional<ObjectNode> extra) {
        public Kind {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(network, "network");
            extra = Objects.requireNonNull(extra, "extra").map(ObjectNode::deepCopy);
        }
    }

    public SupportedResponse {
        kinds = List.copyOf(kinds);
        extensions = List.copyOf(extensions);
        signers = Map.copyOf(signers);
    }
}
