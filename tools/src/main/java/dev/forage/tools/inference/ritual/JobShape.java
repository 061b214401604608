package dev.forage.tools.inference.ritual;

import java.util.Objects;

/**
 * How an embeddings request maps onto a Ritual container's input and output: the field names of
 * the job's {@code data} and of the container's {@code output}. The default shape:
 *
 * <pre>{@code
 * data:   {"model": "<model id>", "inputs": ["text", ...]}
 * output: {"model": "<model id>", "embeddings": [[0.1, ...], ...], "usage": {"prompt_tokens": 12}}
 * }</pre>
 *
 * The output's model must echo the request's; its vectors are positional (vector i embeds input
 * i); {@code usage} may be left out unless the route requires it.
 *
 * @param modelField the field naming the model, in {@code data} and in {@code output}
 * @param inputsField the field of {@code data} holding the texts
 * @param vectorsField the field of {@code output} holding one vector per text, in order
 * @param usageField the field of {@code output} holding an OpenAI-style usage object
 */
public record JobShape(String modelField, String inputsField, String vectorsField, String usageField) {

    public JobShape {
        requireName(modelField, "modelField");
        requireName(inputsField, "inputsField");
        requireName(vectorsField, "vectorsField");
        requireName(usageField, "usageField");
    }

    /** {@code data:{model, inputs}} → {@code output:{model, embeddings, usage}}. */
    public static JobShape standard() {
        return new JobShape("model", "inputs", "embeddings", "usage");
    }

    private static void requireName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
