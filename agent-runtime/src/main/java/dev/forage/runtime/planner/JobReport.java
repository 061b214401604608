package dev.forage.runtime.planner;

import java.util.Objects;

/**
 * How a job ended.
 *
 * @param job the job's id
 * @param status done, failed or out of steps
 * @param summary one paragraph for the operator
 * @param toolCalls how many tool calls the planner made
 */
public record JobReport(String job, Status status, String summary, int toolCalls) {

    public JobReport {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(summary, "summary");
    }

    /** How a job ended. */
    public enum Status {
        /** It reached its goal. */
        DONE,
        /** It could not. */
        FAILED,
        /** The planner used every step it was allowed. */
        STEP_LIMIT
    }
}
