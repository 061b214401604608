package dev.forage.tools.settle.spi;

import java.util.List;

/**
 * A {@link PaymentGuard}'s answer: the payment may be signed, or it must not be.
 */
public sealed interface PaymentDecision permits PaymentDecision.Allow, PaymentDecision.Deny {

    /** Human-readable reasons, possibly empty for an allow. */
    List<String> reasons();

    /** Whether the payment may be signed. */
    default boolean allowed() {
        return this instanceof Allow;
    }

    /** The payment may be signed. */
    record Allow(List<String> reasons) implements PaymentDecision {
        public Allow {
            reasons = List.copyOf(reasons);
        }
    }

    /** The payment must not be signed; {@code reasons} says why (at least one). */
    record Deny(List<String> reasons) implements PaymentDecision {
        public Deny {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a denial needs at least one reason");
            }
        }
    }

    /** Allow, with no reasons. */
    static PaymentDecision allow() {
        return new Allow(List.of());
    }

    /** Deny for the given reasons. */
    static PaymentDecision deny(String... reasons) {
        return new Deny(List.of(reasons));
    }
}
