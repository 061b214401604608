package dev.forage.tools.x402;

import java.util.Objects;
import java.util.Optional;

/**
 * The x402 v2 {@code ResourceInfo}: what a payment is for.
 *
 * @param url the protected resource's URL
 * @param description what it is, for people
 * @param mimeType the media type of the response
 */
public record ResourceInfo(String url, Optional<String> description, Optional<String> mimeType) {

    public ResourceInfo {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(mimeType, "mimeType");
    }

    /** A resource with only a URL. */
    public static ResourceInfo of(String url) {
        return new ResourceInfo(url, Optional.empty(), Optional.empty());
    }
}
