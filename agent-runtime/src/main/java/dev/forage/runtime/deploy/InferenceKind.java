package dev.forage.runtime.deploy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The inference providers a deployment can dispatch to. */
public enum InferenceKind {
    /** The devnet's provider nodes (OpenAI-compatible, real embeddings). */
    DEVNET(false),
    /** Any OpenAI-compatible API. */
    OPENAI(false),
    /** Together AI. */
    TOGETHER(true),
    /** io.net Intelligence. */
    IONET(true),
    /** Chutes (Bittensor). */
    CHUTES(true),
    /** A Ritual Infernet node; {@code baseUrl} required. */
    RITUAL(false),
    /** In-process ONNX Runtime (all-MiniLM-L6-v2); no URL, no key. */
    LOCAL(false);

    private final boolean needsApiKey;

    InferenceKind(boolean needsApiKey) {
        this.needsApiKey = needsApiKey;
    }

    /** Whether the provider needs an API key ({@code apiKeyEnv}). */
    public boolean needsApiKey() {
        return needsApiKey;
    }

    /** The name a deployment writes, e.g. {@code together}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a deployment names, if any. */
    public static Optional<InferenceKind> fromYaml(String name) {
        return Arrays.stream(values()).filter(k -> k.yamlName().equals(name)).findFirst();
    }
}
