package dev.forage.runtime.deploy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The compute markets a deployment can lease GPUs from. */
public enum MarketKind {
    /** The devnet's local provider nodes. */
    DEVNET(false),
    /** Akash Network, through the Akash Console API. */
    AKASH(true),
    /** io.net IO Cloud. */
    IONET(true),
    /** The Hyperbolic GPU marketplace. */
    HYPERBOLIC(true);

    private final boolean needsApiKey;

    MarketKind(boolean needsApiKey) {
        this.needsApiKey = needsApiKey;
    }

    /** Whether the market needs an API key ({@code apiKeyEnv}). */
    public boolean needsApiKey() {
        return needsApiKey;
    }

    /** The name a deployment writes, e.g. {@code akash}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a deployment names, if any. */
    public static Optional<MarketKind> fromYaml(String name) {
        return Arrays.stream(values()).filter(k -> k.yamlName().equals(name)).findFirst();
    }
}
