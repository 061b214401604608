package dev.forage.runtime.pipeline;

import dev.forage.runtime.audit.AuditStorageException;
import dev.forage.runtime.audit.EntryKind;

/**
 * The point after which money can move. First every audit entry so far (the decision, the
 * reservation) must be durable, or the action stops with {@link Outcome.Aborted}: nothing is
 * signed that the log cannot show was decided. Then the payment guard is opened for this
 * intent, with the context it was decided under, for the rest of the chain, and closed again
 * whatever happens.
 */
final class AuthorizeStep implements Step {

    private final PolicyPaymentGuard guard;

    AuthorizeStep(PolicyPaymentGuard guard) {
        this.guard = guard;
    }

    @Override
    public String name() {
        return "authorize";
    }

    @Override
    public EntryKind kind(Exchange<?> exchange) {
        return EntryKind.PAYMENT_GUARD;
    }

    @Override
    public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) {
        try {
            exchange.awaitDurable();
        } catch (AuditStorageException e) {
            exchange.record(EntryKind.PAYMENT_GUARD, name(), StepResult.ABORTED, Exchange.details()
                    .put("why", "the audit log did not store the decision: " + e.getMessage()));
            return new Outcome.Aborted<>(exchange.intent(), "the audit log could not make the decision and reservation "
                    + "durable, so nothing was signed: " + e.getMessage() + "; check the audit log's storage and retry");
        }
        PolicyPaymentGuard.Authorization authorization = guard.authorize(exchange.intent(), exchange.action().context(),
                exchange.session());
        exchange.authorized(authorization);
        try {
            return next.proceed();
        } finally {
            authorization.close();
        }
    }
}
