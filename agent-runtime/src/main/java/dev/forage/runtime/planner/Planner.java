package dev.forage.runtime.planner;

import dev.forage.runtime.tools.ToolContext;
import dev.forage.runtime.tools.Toolbox;

/** Pursues one job with the tools it is given. Runs on a virtual thread and may block. */
public interface Planner {

    /**
     * Works on a job until it is done, failed, or the step limit is reached.
     *
     * @param job what to do
     * @param tools the only way to act
     * @param context the agent and job the calls are made for
     * @return how it ended
     * @throws InterruptedException when the agent is stopped
     */
    JobReport pursue(AgentJob job, Toolbox tools, ToolContext context) throws InterruptedException;
}
