package dev.forage.runtime.pipeline;

import dev.forage.runtime.audit.EntryKind;
import dev.forage.tools.verify.Verdict;

/**
 * Checks the result before it is paid for. A failed verdict ends the action as
 * {@link Outcome.Rejected}: the settle step never runs, so nothing more is paid.
 */
final class VerifyStep implements Step {

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public EntryKind kind(Exchange<?> exchange) {
        return EntryKind.VERDICT;
    }

    @Override
    public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) throws Exception {
        if (exchange.action().verification().isEmpty()) {
            return next.proceed();
        }
        T result = exchange.result().orElseThrow(() -> new IllegalStateException(
                "intent " + exchange.intent().id() + " has no result to verify: the execute step must come first"));
        Verdict verdict = exchange.action().verification().get().verify(exchange.intent(), result);
        exchange.verified(verdict);
        var details = Exchange.details().put("method", verdict.method()).put("score", verdict.score())
                .put("evidence", verdict.evidence().summary());
        verdict.evidence().facts().forEach((k, v) -> details.with("facts").put(k, v));
        if (verdict instanceof Verdict.Fail fail) {
            details.put("reason", fail.reason());
            exchange.record(EntryKind.VERDICT, name(), StepResult.FAIL, details);
            return new Outcome.Rejected<>(exchange.intent(), result, fail, exchange.paid());
        }
        exchange.record(EntryKind.VERDICT, name(), StepResult.PASS, details);
        return next.proceed();
    }
}
