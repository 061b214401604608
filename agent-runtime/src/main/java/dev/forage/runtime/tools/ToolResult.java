package dev.forage.runtime.tools;

import java.util.List;
import java.util.Objects;

/** What a tool call came to, as the planner will see it. */
public sealed interface ToolResult {

    /** The text handed back to the planner. */
    String content();

    /** The call did its work. */
    record Ok(String content) implements ToolResult {
        public Ok {
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * Policy, budget or the payment guard refused the call; nothing was spent.
     *
     * @param reasons the policy's reasons
     * @param rules the ids of the rules that decided
     */
    record Refused(List<String> reasons, List<String> rules) implements ToolResult {
        public Refused {
            reasons = List.copyOf(reasons);
            rules = List.copyOf(rules);
        }

        @Override
        public String content() {
            return "refused by policy: " + String.join("; ", reasons);
        }
    }

    /**
     * The call needs a person's approval first; it has not run.
     *
     * @param approval the approval request's id
     */
    record AwaitingApproval(String approval) implements ToolResult {
        public AwaitingApproval {
            Objects.requireNonNull(approval, "approval");
        }

        @Override
        public String content() {
            return "waiting for approval " + approval;
        }
    }

    /**
     * The call failed (bad arguments, provider error, failed verification); nothing unverified was paid.
     *
     * @param message what went wrong and what to do, for the planner
     */
    record Failed(String message) implements ToolResult {
        public Failed {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String content() {
            return "failed: " + message;
        }
    }
}
