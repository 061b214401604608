package dev.forage.runtime.deploy;

import java.util.Objects;

/**
 * What decides the agent's next tool call. Either way the planner only proposes: every call
 * goes through the governed pipeline.
 */
public sealed interface Planner {

    /**
     * A deterministic playbook, for offline runs and the demo; no LLM.
     *
     * @param playbook the playbook's name, a DNS label, e.g. {@code procure-embeddings}
     */
    record Scripted(String playbook) implements Planner {
        public Scripted {
            Metadata.requireDnsLabel("planner.playbook", playbook);
        }
    }

    /**
     * An LLM through LangChain4j, calling the toolkits' tools.
     *
     * @param model the model to think with
     * @param maxSteps the most tool calls for one job, 1 to 1000
     */
    record LangChain4j(ChatModelSettings model, int maxSteps) implements Planner {
        public LangChain4j {
            Objects.requireNonNull(model, "planner.model");
            if (maxSteps < 1 || maxSteps > 1000) {
                throw new IllegalArgumentException("planner.maxSteps " + maxSteps + " must be 1 to 1000");
            }
        }
    }
}
