package dev.forage.runtime.planner;

import java.util.Map;
import java.util.Objects;

/**
 * A job given to an agent.
 *
 * @param id the job's id, unique per agent; intent ids derive from it
 * @param goal what to achieve, in words (an LLM planner's user message)
 * @param input named inputs (corpus path, model, batch size ...)
 */
public record AgentJob(String id, String goal, Map<String, String> input) {

    public AgentJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(goal, "goal");
        input = Map.copyOf(input);
    }
}
