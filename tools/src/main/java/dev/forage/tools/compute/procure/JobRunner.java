package dev.forage.tools.compute.procure;

import dev.forage.tools.compute.Offer;

/**
 * Runs one attempt of a job on one offer: takes the lease (through the governed pipeline), runs
 * the work, verifies the result, settles, and says how it ended. {@link Procurement} calls it
 * once per attempt and fails over on anything but {@link AttemptResult.Verified}.
 *
 * <p>A {@link dev.forage.tools.ToolException} thrown by the runner (a market refusing the lease,
 * a transport failure) counts as {@link AttemptResult.LeaseFailed}; any other exception is a bug
 * and propagates.
 */
@FunctionalInterface
public interface JobRunner {

    /**
     * @param job the job
     * @param offer the offer chosen for this attempt
     * @param attempt the attempt's number within the job, from 1
     */
    AttemptResult attempt(Job job, Offer offer, int attempt);
}
