package dev.forage.runtime.pipeline;

import dev.forage.policies.SpendIntent;
import dev.forage.tools.verify.Verdict;

/**
 * Checks an execution's result before it is paid for (re-execution, quorum, attestation).
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface Verification<T> {

    /**
     * The verdict on {@code result}. A failed verdict stops the action: the settle step is
     * skipped and the reservation voided (less anything the execution already paid).
     */
    Verdict verify(SpendIntent intent, T result) throws Exception;
}
