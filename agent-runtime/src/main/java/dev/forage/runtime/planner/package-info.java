/**
 * Planners decide an agent's next tool call for a job: a LangChain4j model or a scripted
 * playbook. A planner only proposes; it reaches tools through a {@link dev.forage.runtime.tools.Toolbox}.
 */
package dev.forage.runtime.planner;
