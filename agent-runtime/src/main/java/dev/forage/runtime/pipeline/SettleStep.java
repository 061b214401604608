package dev.forage.runtime.pipeline;

import dev.forage.runtime.audit.EntryKind;

/** Pays for a result after it passed verification (an escrow release, a voucher). */
final class SettleStep implements Step {

    @Override
    public String name() {
        return "settle";
    }

    @Override
    public EntryKind kind(Exchange<?> exchange) {
        return EntryKind.SETTLEMENT_TX;
    }

    @Override
    public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) throws Exception {
        if (exchange.action().settlement().isEmpty()) {
            return next.proceed();
        }
        T result = exchange.result().orElseThrow(() -> new IllegalStateException(
                "intent " + exchange.intent().id() + " has no result to pay for: the execute step must come first"));
        Paid paid = exchange.action().settlement().get().settle(exchange.intent(), result);
        exchange.paid(paid);
        var details = Exchange.details().put("amount", paid.actual().toString())
                .put("counterparty", exchange.intent().counterparty()).put("reference", paid.reference());
        if (paid.txHash().isPresent()) {
            exchange.record(EntryKind.SETTLEMENT_TX, name(), StepResult.PAID, details, paid.txHash().get());
        } else {
            exchange.record(EntryKind.SETTLEMENT_TX, name(), StepResult.PAID, details);
        }
        return next.proceed();
    }
}
