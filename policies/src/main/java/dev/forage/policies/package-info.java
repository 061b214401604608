/**
 * Spending policy for agents: {@link dev.forage.policies.Money} and
 * {@link dev.forage.policies.SpendIntent}, and the {@link dev.forage.policies.PolicyEngine}
 * that turns YAML + CEL policy documents into a {@link dev.forage.policies.Decision} for each
 * intent. Failures are {@link dev.forage.policies.PolicyException}s.
 */
package dev.forage.policies;
