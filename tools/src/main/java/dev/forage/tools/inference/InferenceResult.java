package dev.forage.tools.inference;

import dev.forage.policies.Money;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a provider returned for one request.
 *
 * @param provider the provider's id
 * @param model the model that answered (checked to be the one asked for)
 * @param output the vectors or the completion
 * @param usage tokens counted by the provider
 * @param latency from sending the request to the last byte of the answer
 * @param responseDigest lower-case hex SHA-256 of the raw response body, as evidence
 * @param cost what the provider charges for it at its published prices (zero when it publishes none)
 */
public record InferenceResult(String provider, String model, Output output, Usage usage, Duration latency,
        String responseDigest, Money cost) {

    public InferenceResult {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(latency, "latency");
        if (responseDigest == null || !responseDigest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("response digest '" + responseDigest + "' must be 64 lower-case hex digits");
        }
        Objects.requireNonNull(cost, "cost");
    }

    /** What was computed. */
    public sealed interface Output permits Embeddings, Completion {}

    /**
     * One vector per input, in input order.
     *
     * @param vectors the vectors; each array is owned by this value, do not change it
     */
    public record Embeddings(List<float[]> vectors) implements Output {
        public Embeddings {
            vectors = List.copyOf(vectors);
        }

        /** The vectors' dimension (that of the first). */
        public int dimension() {
            return vectors.isEmpty() ? 0 : vectors.get(0).length;
        }
    }

    /**
     * A chat completion.
     *
     * @param text the generated text
     * @param finishReason why it stopped: {@code stop}, {@code length}, ...
     */
    public record Completion(String text, String finishReason) implements Output {
        public Completion {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(finishReason, "finishReason");
        }
    }

    /** The embeddings, or an {@link IllegalStateException} for a completion. */
    public Embeddings embeddings() {
        if (output instanceof Embeddings e) {
            return e;
        }
        throw new IllegalStateException("result of " + provider + " is a completion, not embeddings");
    }
}
