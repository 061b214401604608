package dev.forage.runtime.tools;

import java.util.Objects;

/**
 * What a planner is told about a tool.
 *
 * @param name the tool's name, {@code [a-z][a-z0-9_]*} (LangChain4j and MCP accept it), e.g. {@code lease_gpu}
 * @param description one or two sentences for the model
 * @param parametersSchema a JSON Schema ({@code "type": "object"}) of the call's arguments, as JSON text
 */
public record ToolSpec(String name, String description, String parametersSchema) {

    public ToolSpec {
        if (name == null || !name.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("tool name '" + name + "' must match [a-z][a-z0-9_]{0,63}, e.g. lease_gpu");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parametersSchema, "parametersSchema");
    }
}
