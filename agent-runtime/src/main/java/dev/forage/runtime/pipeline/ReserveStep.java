package dev.forage.runtime.pipeline;

import dev.forage.policies.Decision;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.Reservation;
import dev.forage.policies.ledger.ReserveResult;
import dev.forage.runtime.audit.EntryKind;
import java.time.Duration;
import java.util.Optional;

/**
 * Reserves the intent's amount against its budgets. An intent whose reservation is still
 * pending from an earlier run that stopped midway goes on under the same id (the payment tools
 * never pay twice for one id); one resolved meanwhile by a concurrent run is a replay.
 */
final class ReserveStep implements Step {

    private final PolicyEngine engine;
    private final BudgetLedger ledger;
    private final Duration ttl;

    ReserveStep(PolicyEngine engine, BudgetLedger ledger, Duration ttl) {
        this.engine = engine;
        this.ledger = ledger;
        this.ttl = ttl;
    }

    @Override
    public String name() {
        return "reserve";
    }

    @Override
    public EntryKind kind(Exchange<?> exchange) {
        return EntryKind.BUDGET_RESERVE;
    }

    @Override
    public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) {
        Optional<Decision> decision = exchange.decision();
        if (decision.isEmpty() || !(decision.get() instanceof Decision.Allow)) {
            exchange.record(EntryKind.BUDGET_RESERVE, name(), StepResult.NOT_ALLOWED, Exchange.details()
                    .put("decision", decision.map(d -> DecideStep.resultOf(d).wireName()).orElse("none")));
            return new Outcome.Refused<>(exchange.intent(), decision.orElseGet(() -> new Decision.Deny(
                    exchange.intent().id(), java.util.List.of(), java.util.List.of("no allow decision"), java.util.List.of())));
        }
        String id = exchange.intent().id();
        Optional<Reservation> earlier = ledger.find(id);
        if (earlier.isPresent()) {
            return replay(exchange, next, earlier.get());
        }
        ReserveResult reserved = ledger.reserve(engine.reserveRequest(exchange.intent(), ttl));
        return switch (reserved) {
            case ReserveResult.Exceeded exceeded -> {
                exchange.record(EntryKind.BUDGET_RESERVE, name(), StepResult.EXCEEDED, Exchange.details()
                        .put("amount", exchange.intent().amount().toString())
                        .put("budget", exceeded.budget().ref())
                        .put("why", exceeded.describe()));
                yield new Outcome.OverBudget<>(exchange.intent(), exceeded.describe());
            }
            case ReserveResult.Reserved r -> r.reservation().isPending()
                    ? proceed(exchange, next, r.reservation(), StepResult.RESERVED)
                    : replay(exchange, next, r.reservation());
        };
    }

    private <T> Outcome<T> replay(Exchange<T> exchange, Next<T> next, Reservation earlier) {
        return earlier.isPending()
                ? proceed(exchange, next, earlier, StepResult.RESUMED)
                : ReplayStep.replay(exchange, earlier, name());
    }

    private <T> Outcome<T> proceed(Exchange<T> exchange, Next<T> next, Reservation reservation, StepResult result) {
        exchange.reserved(reservation);
        exchange.record(EntryKind.BUDGET_RESERVE, name(), result, Exchange.details()
                .put("amount", reservation.amount().toString())
                .put("expiresAt", reservation.expiresAt().toString()));
        return next.proceed();
    }
}
