package dev.forage.runtime.tools;

import java.util.Objects;

/**
 * A call a planner proposes.
 *
 * @param id the planner's id for the call (an LLM's tool-call id), used in the audit log
 * @param tool the tool's name
 * @param arguments the arguments, a JSON object as text
 */
public record ToolCall(String id, String tool, String arguments) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(arguments, "arguments");
    }
}
