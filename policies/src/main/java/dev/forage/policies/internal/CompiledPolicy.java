package dev.forage.policies.internal;

import dev.forage.policies.PolicyInfo;
import dev.forage.policies.internal.PolicyModel.Budget;
import java.util.List;
import java.util.Map;

/**
 * An immutable, fully compiled policy: what {@link CelPolicyEngine} swaps atomically on
 * reload.
 *
 * @param lists the CEL value of {@code lists}: name to a set (as a map to true)
 */
record CompiledPolicy(
        PolicyInfo info,
        List<Budget> budgets,
        Map<String, Map<String, Boolean>> lists,
        RuleIndex deny,
        RuleIndex approval,
        RuleIndex allow) {}
