package dev.forage.tools.compute;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How an offer is taken.
 *
 * @param idempotencyKey the intent id: taking the same offer twice with the same key gives one
 *     lease where the market allows it
 * @param duration how long to lease for
 * @param image the container image to run, if the market runs one
 * @param env environment variables for the workload (values are not secrets: pass secrets by
 *     the market's own secret mechanism)
 */
public record LeaseTerms(String idempotencyKey, Duration duration, Optional<String> image, Map<String, String> env) {
    public LeaseTerms {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 256) {
            throw new IllegalArgumentException("lease idempotency key must be 1 to 256 characters, got '" + idempotencyKey + "'");
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("lease duration " + duration + " must be positive");
        }
        Objects.requireNonNull(image, "image");
        env = java.util.Collections.unmodifiableMap(new TreeMap<>(env));
    }

    /** Terms for {@code duration} under {@code key}, no image, no env. */
    public static LeaseTerms of(String key, Duration duration) {
        return new LeaseTerms(key, duration, Optional.empty(), Map.of());
    }
}
