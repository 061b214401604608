package dev.forage.tools.inference.ritual;

import java.util.List;
import java.util.Objects;

/**
 * What a node's {@code GET /info} says.
 *
 * @param version the node's version
 * @param containers the containers it runs
 * @param pendingOffchain off-chain jobs waiting
 * @param pendingOnchain on-chain jobs waiting
 * @param chainEnabled whether the node serves on-chain subscriptions
 * @param chainAddress the node's wallet address, empty when none
 */
public record NodeInfo(String version, List<Container> containers, long pendingOffchain, long pendingOnchain,
        boolean chainEnabled, String chainAddress) {

    public NodeInfo {
        Objects.requireNonNull(version, "version");
        containers = List.copyOf(containers);
        Objects.requireNonNull(chainAddress, "chainAddress");
    }

    /**
     * One container.
     *
     * @param id its id, as job requests name it
     * @param external whether a job may start with it
     * @param image its Docker image
     * @param description what it does, empty when the node gives none
     */
    public record Container(String id, boolean external, String image, String description) {
        public Container {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(description, "description");
        }
    }

    /** Whether a job may run through {@code ids} here: all are running and the first is external. */
    public boolean serves(List<String> ids) {
        if (ids.isEmpty()) {
            return false;
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            boolean first = i == 0;
            if (containers.stream().noneMatch(c -> c.id().equals(id) && (!first || c.external()))) {
                return false;
            }
        }
        return true;
    }
}
