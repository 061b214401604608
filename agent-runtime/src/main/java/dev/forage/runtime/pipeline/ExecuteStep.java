package dev.forage.runtime.pipeline;

import dev.forage.runtime.audit.EntryKind;

/**
 * Runs the action's remote work. When it pays as it goes (x402), what moved is kept for the
 * ledger. Failures are recorded by the chain: after a signature, as a payment in doubt unless
 * the failure shows nothing moved.
 */
final class ExecuteStep implements Step {

    @Override
    public String name() {
        return "execute";
    }

    @Override
    public EntryKind kind(Exchange<?> exchange) {
        return exchange.action().executionKind();
    }

    @Override
    public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) throws Exception {
        Executed<T> executed = exchange.action().execution().execute(exchange.intent());
        exchange.produced(executed.result());
        if (executed.paid().isPresent()) {
            Paid paid = executed.paid().get();
            exchange.paid(paid);
            var details = Exchange.details().put("amount", paid.actual().toString())
                    .put("counterparty", exchange.intent().counterparty()).put("reference", paid.reference());
            if (paid.txHash().isPresent()) {
                exchange.record(kind(exchange), name(), StepResult.PAID, details, paid.txHash().get());
            } else {
                exchange.record(kind(exchange), name(), StepResult.PAID, details);
            }
        } else {
            exchange.record(kind(exchange), name(), StepResult.EXECUTED, Exchange.details()
                    .put("counterparty", exchange.intent().counterparty()));
        }
        return next.proceed();
    }
}
