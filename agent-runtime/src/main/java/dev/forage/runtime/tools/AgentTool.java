package dev.forage.runtime.tools;

/**
 * One tool. A tool that spends builds an {@link dev.forage.runtime.pipeline.Action} and runs it
 * through the agent's {@link dev.forage.runtime.pipeline.GovernedChain}; it never signs or pays
 * any other way. Calls are synchronous and may block (they run on virtual threads).
 */
public interface AgentTool {

    /** What the planner is told about this tool. */
    ToolSpec spec();

    /**
     * Runs one call. Bad arguments are a {@link ToolResult.Failed} naming the argument, not an exception.
     *
     * @param call the proposed call, its {@code tool} equal to {@code spec().name()}
     * @param context on whose behalf
     * @return what the call came to
     * @throws InterruptedException when the agent is stopped while the call waits
     */
    ToolResult call(ToolCall call, ToolContext context) throws InterruptedException;
}
