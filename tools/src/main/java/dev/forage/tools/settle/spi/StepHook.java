package dev.forage.tools.settle.spi;

/**
 * Observes the steps of a payment. Crash tests use it to stop the process at a step; the
 * runtime may use it for metrics. Called on the paying thread; must be quick.
 */
@FunctionalInterface
public interface StepHook {

    /** The steps a payment passes, in order. */
    enum Step {
        /** The transaction is signed and its write-ahead record stored; not yet broadcast. */
        SIGNED,
        /** The node accepted the transaction; its receipt is not yet read. */
        BROADCAST,
        /** The receipt was read; the record is not yet marked done. */
        MINED
    }

    /** Called when payment {@code key} reaches {@code step}. */
    void reached(String key, Step step);

    /** A hook that does nothing. */
    static StepHook none() {
        return (key, step) -> {};
    }
}
