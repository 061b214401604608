package dev.forage.tools.verify;

import dev.forage.tools.inference.InferenceRequest;
import dev.forage.tools.inference.InferenceResult;

/**
 * Checks a result bought from a provider before it is paid for. Implementations are
 * synchronous and safe to call from many virtual threads at once.
 *
 * <p>A verifier never throws for a bad result: malformed output (wrong dimensions, NaN,
 * mismatched item counts, another model) is a {@link Verdict.Fail} with its reason. It throws
 * a {@link dev.forage.tools.ToolException} only when it cannot check at all (its reference
 * model failed to load, say), and the caller must then treat the result as unverified.
 */
@FunctionalInterface
public interface Verifier {

    /**
     * Checks one result against the request it answered.
     *
     * @param request what was asked
     * @param result what the provider returned
     * @return the verdict; a pass only when the result may be paid for
     */
    Verdict verify(InferenceRequest request, InferenceResult result);
}
