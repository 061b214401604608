package dev.forage.tools.inference;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** What to compute. */
public sealed interface InferenceRequest permits InferenceRequest.Embeddings, InferenceRequest.Chat {

    /** The model id as the provider names it. */
    String model();

    /**
     * Embed each input.
     *
     * @param model the embedding model, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}
     * @param inputs the texts, 1 to 2048, none blank
     */
    record Embeddings(String model, List<String> inputs) implements InferenceRequest {
        /** The most inputs in one request. */
        public static final int MAX_INPUTS = 2048;

        public Embeddings {
            requireModel(model);
            inputs = List.copyOf(inputs);
            if (inputs.isEmpty() || inputs.size() > MAX_INPUTS) {
                throw new IllegalArgumentException("an embeddings request needs 1 to " + MAX_INPUTS + " inputs, got "
                        + inputs.size());
            }
        }
    }

    /**
     * Complete a chat.
     *
     * @param model the chat model, e.g. {@code meta-llama/Llama-3.3-70B-Instruct-Turbo}
     * @param messages the conversation, at least one
     * @param maxTokens the most tokens to generate
     * @param temperature sampling temperature (0 for deterministic answers where supported)
     */
    record Chat(String model, List<Message> messages, OptionalInt maxTokens, OptionalDouble temperature)
            implements InferenceRequest {
        public Chat {
            requireModel(model);
            messages = List.copyOf(messages);
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("a chat request needs at least one message");
            }
            Objects.requireNonNull(maxTokens, "maxTokens");
            Objects.requireNonNull(temperature, "temperature");
        }
    }

    /**
     * One chat message.
     *
     * @param role {@code system}, {@code user} or {@code assistant}
     * @param content its text
     */
    record Message(String role, String content) {
        public Message {
            if (!"system".equals(role) && !"user".equals(role) && !"assistant".equals(role)) {
                throw new IllegalArgumentException("message role '" + role + "' must be system, user or assistant");
            }
            Objects.requireNonNull(content, "content");
        }
    }

    private static void requireModel(String model) {
        if (model == null || model.isBlank() || model.length() > 256) {
            throw new IllegalArgumentException("model id '" + model + "' must be 1 to 256 characters");
        }
    }
}
