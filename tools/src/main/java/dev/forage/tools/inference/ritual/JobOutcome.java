package dev.forage.tools.inference.ritual;

import dev.forage.tools.ToolException;
import dev.forage.tools.inference.InferenceResult;
import java.util.Objects;
import java.util.Optional;

/** What became of one job of a batch. */
public sealed interface JobOutcome permits JobOutcome.Done, JobOutcome.Failed {

    /** The node's job id, when the node created a job. */
    Optional<String> jobId();

    /**
     * The job succeeded and its output passed every check.
     *
     * @param id the node's job id
     * @param result the checked result
     */
    record Done(String id, InferenceResult result) implements JobOutcome {
        public Done {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(result, "result");
        }

        @Override
        public Optional<String> jobId() {
            return Optional.of(id);
        }
    }

    /**
     * The job was refused, failed, ran past the deadline, or answered wrongly.
     *
     * @param jobId the node's job id, empty when no job was created (a refusal)
     * @param error what went wrong: an {@link dev.forage.tools.inference.InferenceException}
     *     (REFUSED, JOB_FAILED, or a failed check) or a retriable
     *     {@link dev.forage.tools.http.RemoteCallException} TIMEOUT for a job still running
     */
    record Failed(Optional<String> jobId, ToolException error) implements JobOutcome {
        public Failed {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(error, "error");
        }
    }
}
