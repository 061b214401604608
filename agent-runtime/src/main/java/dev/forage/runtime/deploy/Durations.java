package dev.forage.runtime.deploy;

import java.time.Duration;
import java.util.Objects;

/** Duration checks shared by the model's records. */
final class Durations {

    private Durations() {}

    static Duration requirePositive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(field + " " + d + " must be positive, e.g. PT10M");
        }
        return d;
    }
}
