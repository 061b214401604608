package dev.forage.runtime.pipeline;

import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.Reservation;
import dev.forage.runtime.audit.EntryKind;
import java.util.Optional;

/**
 * Recognises an intent that ran before, before anything is decided again: one already posted
 * is a replay (its posting is returned, nothing is paid, no approval is asked again), one
 * voided or expired is refused. An intent still pending (an earlier run stopped midway) or
 * never seen goes on.
 */
final class ReplayStep implements Step {

    private final BudgetLedger ledger;

    ReplayStep(BudgetLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public EntryKind kind(Exchange<?> exchange) {
        return EntryKind.BUDGET_RESERVE;
    }

    @Override
    public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) {
        Optional<Reservation> earlier = ledger.find(exchange.intent().id());
        if (earlier.isEmpty() || earlier.get().isPending()) {
            return next.proceed();
        }
        return replay(exchange, earlier.get(), name());
    }

    /** The outcome for an intent whose reservation was resolved before: replayed or refused. */
    static <T> Outcome<T> replay(Exchange<T> exchange, Reservation earlier, String step) {
        exchange.reserved(earlier);
        if (earlier.state() == Reservation.State.POSTED) {
            exchange.record(EntryKind.BUDGET_RESERVE, step, StepResult.REPLAYED_POSTED, Exchange.details()
                    .put("posted", earlier.posted().toString())
                    .put("postedAt", earlier.resolvedAt().map(Object::toString).orElse("")));
            return new Outcome.Replayed<>(exchange.intent(), earlier);
        }
        exchange.record(EntryKind.BUDGET_RESERVE, step, earlier.state() == Reservation.State.VOIDED
                ? StepResult.REPLAYED_VOIDED : StepResult.REPLAYED_EXPIRED, Exchange.details()
                .put("resolvedAt", earlier.resolvedAt().map(Object::toString).orElse("")));
        return new Outcome.ReplayRefused<>(exchange.intent(), earlier);
    }
}
