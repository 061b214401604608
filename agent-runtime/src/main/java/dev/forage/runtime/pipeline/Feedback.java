package dev.forage.runtime.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Learns from how actions ended: provider statistics for procurement, optionally ERC-8004
 * reputation. Called after the books are settled, for every outcome; a failure here never
 * changes the outcome.
 */
@FunctionalInterface
public interface Feedback {

    /**
     * Records {@code outcome}.
     *
     * @return what was recorded, for the audit entry; empty when the outcome taught nothing
     *     (a refusal by policy, say)
     */
    Optional<ObjectNode> record(Outcome<?> outcome) throws Exception;

    /** No feedback. */
    static Feedback none() {
        return outcome -> Optional.empty();
    }
}
