package dev.forage.tools.inference;

import java.util.Objects;
import java.util.Optional;

/**
 * A model a provider serves.
 *
 * @param id the model id as the provider names it
 * @param kind {@code embedding}, {@code chat} or what the provider says
 * @param price its published price, if any
 */
public record ModelInfo(String id, String kind, Optional<TokenPrice> price) {
    public ModelInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(price, "price");
    }
}
