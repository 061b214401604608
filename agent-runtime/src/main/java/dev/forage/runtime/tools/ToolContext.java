package dev.forage.runtime.tools;

import java.util.Objects;

/**
 * On whose behalf a tool runs.
 *
 * @param agent the agent's name in the runtime
 * @param job the job being pursued
 * @param caller who proposed the call: {@code planner}, {@code mcp:<token id>}, {@code sdk}
 */
public record ToolContext(String agent, String job, String caller) {

    public ToolContext {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(caller, "caller");
    }
}
