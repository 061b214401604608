package dev.forage.policies;

import java.util.Objects;

/**
 * What the caller supplies to a decision besides the intent. Budget usage comes from the
 * ledger and the time from the engine's clock, so neither is here.
 *
 * @param counterparty statistics about the intent's counterparty
 */
public record Context(CounterpartyStats counterparty) {

    private static final Context EMPTY = new Context(CounterpartyStats.unknown());

    public Context {
        Objects.requireNonNull(counterparty, "counterparty");
    }

    /** No counterparty statistics. */
    public static Context empty() {
        return EMPTY;
    }

    /** A context with these counterparty statistics. */
    public static Context of(CounterpartyStats counterparty) {
        return new Context(counterparty);
    }
}
