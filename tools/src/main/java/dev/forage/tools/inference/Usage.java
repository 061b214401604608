package dev.forage.tools.inference;

/**
 * Tokens a provider counted for one request.
 *
 * @param promptTokens tokens in the input
 * @param completionTokens tokens generated (0 for embeddings)
 */
public record Usage(long promptTokens, long completionTokens) {
    public Usage {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative, got " + promptTokens + " and "
                    + completionTokens);
        }
    }

    /** All tokens. */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
