package dev.forage.runtime.pipeline;

/**
 * One step of the governed chain: replay, decide, await approval, reserve, post or void, authorise,
 * execute, verify, settle, feedback. Steps compose like interceptors: each gets the action's
 * {@link Exchange} and the rest of the chain as {@link Next}, and either proceeds (at most
 * once) and returns what the rest returned, possibly wrapping it, or ends the action by
 * returning an {@link Outcome} itself.
 *
 * <p>Obligations, enforced by {@link GovernedChain}:
 * <ul>
 *   <li>{@link Next#proceed()} at most once; a second call throws;
 *   <li>a step that ends the action writes an audit entry saying why (the chain writes an
 *       {@code ended_without_entry} entry for a step that does not);
 *   <li>a step that throws has its failure recorded by the chain, which turns it into
 *       {@link Outcome.Failed} or, after a signature, {@link Outcome.InDoubt};
 *   <li>whatever the steps do, a reservation never stays pending when the action ends: the
 *       chain voids it (or posts it, if money moved) itself.
 * </ul>
 */
public interface Step {

    /** The step's name in audit entries and errors, lower-case, e.g. {@code reserve}. */
    String name();

    /** The audit kind of this step's entries for {@code exchange}'s action. */
    dev.forage.runtime.audit.EntryKind kind(Exchange<?> exchange);

    /**
     * Runs the step.
     *
     * @throws Exception for any failure; the chain records it and turns it into an outcome
     */
    <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) throws Exception;

    /** The rest of the chain after a step. */
    interface Next<T> {
        /** Runs the remaining steps and returns their outcome; callable once. */
        Outcome<T> proceed();
    }
}
