package dev.forage.tools.inference;

import java.util.List;

/**
 * One provider of inference. Synchronous and blocking, safe from many virtual threads; every
 * remote call runs inside the adapter's {@link dev.forage.tools.http.ProviderResilience}.
 *
 * <p>Contract: a result always matches its request (one vector per input, in order, of the
 * model's dimension, all finite; the model named is the model asked for) or the call throws
 * {@link InferenceException} (the provider's answer was wrong: malformed, oversized, wrong
 * count or dimension, NaN or infinite values, missing usage, another model) or
 * {@link dev.forage.tools.http.RemoteCallException} (transport or HTTP failure, with the
 * provider's error body). Nothing wrong is returned as a value.
 */
public interface InferenceProvider {

    /** The provider's id, lower-case: {@code together}, {@code ionet}, {@code chutes}, {@code local}, ... */
    String id();

    /** The models it serves, with their prices where it publishes them. */
    List<ModelInfo> models();

    /**
     * Runs {@code request}.
     *
     * @throws InferenceException when the answer is not a valid result for the request
     */
    InferenceResult run(InferenceRequest request);
}
