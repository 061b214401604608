package dev.forage.runtime.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tools one agent may call, by name: what planners and the MCP server dispatch through. */
public final class Toolbox {

    private final Map<String, AgentTool> tools;

    private Toolbox(Map<String, AgentTool> tools) {
        this.tools = Collections.unmodifiableMap(tools);
    }

    /**
     * The tools of these toolkits.
     *
     * @throws IllegalArgumentException when two tools share a name
     */
    public static Toolbox of(List<? extends Toolkit> toolkits) {
        Map<String, AgentTool> byName = new LinkedHashMap<>();
        for (Toolkit kit : toolkits) {
            for (AgentTool tool : kit.tools()) {
                AgentTool before = byName.putIfAbsent(tool.spec().name(), tool);
                if (before != null) {
                    throw new IllegalArgumentException("two tools are named '" + tool.spec().name()
                            + "' (toolkit " + kit.name() + "); rename one");
                }
            }
        }
        return new Toolbox(byName);
    }

    /** The specifications of every tool, in toolkit order. */
    public List<ToolSpec> specs() {
        List<ToolSpec> specs = new ArrayList<>(tools.size());
        tools.values().forEach(t -> specs.add(t.spec()));
        return List.copyOf(specs);
    }

    /**
     * Runs a call; an unknown tool is a {@link ToolResult.Failed} naming the tools there are.
     *
     * @throws InterruptedException when the agent is stopped while the call waits
     */
    public ToolResult call(ToolCall call, ToolContext context) throws InterruptedException {
        AgentTool tool = tools.get(call.tool());
        if (tool == null) {
            return new ToolResult.Failed("no tool named '" + call.tool() + "'; the tools are " + tools.keySet());
        }
        return tool.call(call, context);
    }
}
