/**
 * The tools an agent's planner may call. Every {@link dev.forage.runtime.tools.AgentTool} that
 * spends runs its call through the one {@link dev.forage.runtime.pipeline.GovernedChain}: a
 * planner (LLM or scripted, or an MCP client) only proposes; policy, budget, approval and audit
 * decide what happens. Tool specifications are the single source for LangChain4j tool
 * specifications and MCP tool listings.
 */
package dev.forage.runtime.tools;
