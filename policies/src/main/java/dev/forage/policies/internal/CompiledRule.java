package dev.forage.policies.internal;

import dev.cel.runtime.CelRuntime;
import dev.forage.policies.internal.PolicyModel.Effect;
import java.util.Set;

/**
 * A rule ready to evaluate: its CEL program, compiled once at load.
 *
 * @param ordinal its position across all composed documents; decisions list rules in this order
 * @param agents the agents its document is scoped to; empty for all
 */
record CompiledRule(
        int ordinal, String id, Effect effect, CelRuntime.Program program, String reason, Set<String> agents,
        String source, int line) {

    boolean appliesTo(String agent) {
        return agents.isEmpty() || agents.contains(agent);
    }
}
