package dev.forage.runtime.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Execution} produced.
 *
 * @param result what was bought
 * @param paid what moved while executing (x402 pays up front); empty when payment, if any,
 *     comes later in the settle step
 * @param <T> the result type
 */
public record Executed<T>(T result, Optional<Paid> paid) {
    public Executed {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(paid, "paid");
    }

    /** A result that was paid for while it was fetched. */
    public static <T> Executed<T> paid(T result, Paid paid) {
        return new Executed<>(result, Optional.of(paid));
    }

    /** A result not paid for yet. */
    public static <T> Executed<T> unpaid(T result) {
        return new Executed<>(result, Optional.empty());
    }
}
