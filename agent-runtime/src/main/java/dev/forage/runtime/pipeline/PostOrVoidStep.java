package dev.forage.runtime.pipeline;

import dev.forage.policies.Money;
import dev.forage.policies.PolicyException;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.Reservation;
import dev.forage.policies.ledger.ResolveResult;
import dev.forage.runtime.audit.EntryKind;
import java.time.Clock;
import java.util.Optional;

/**
 * Wraps everything after the reservation and resolves it once the rest has run: posts what
 * moved (before the audit log acknowledges anything about it), voids it when nothing moved,
 * and for a payment in doubt posts the whole reservation so the budget can never be spent
 * twice. A post the ledger refuses after money moved is never a success: it becomes
 * {@link Outcome.Discrepancy} and is reported for reconciliation.
 */
final class PostOrVoidStep implements Step {

    private final BudgetLedger ledger;
    private final Discrepancies discrepancies;
    private final Clock clock;

    PostOrVoidStep(BudgetLedger ledger, Discrepancies discrepancies, Clock clock) {
        this.ledger = ledger;
        this.discrepancies = discrepancies;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "post-or-void";
    }

    @Override
    public EntryKind kind(Exchange<?> exchange) {
        return EntryKind.BUDGET_POST;
    }

    @Override
    public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) {
        Outcome<T> inner = next.proceed();
        return resolve(ledger, discrepancies, clock, exchange, inner, name());
    }

    /**
     * Resolves the exchange's pending reservation after {@code inner}: post, post in doubt, or
     * void. Also the chain's own safety net when a custom chain leaves a reservation pending.
     */
    static <T> Outcome<T> resolve(BudgetLedger ledger, Discrepancies discrepancies, Clock clock, Exchange<T> exchange,
            Outcome<T> inner, String step) {
        Optional<Reservation> reservation = exchange.reservation().filter(Reservation::isPending);
        if (reservation.isEmpty() || exchange.resolved()) {
            return inner;
        }
        exchange.resolve();
        String id = exchange.intent().id();
        if (exchange.paid().isPresent()) {
            Paid paid = exchange.paid().get();
            Money reserved = reservation.get().amount();
            if (paid.actual().isGreaterThan(reserved)) {
                // More moved than was decided: the books count all they may, the excess is a discrepancy.
                Optional<String> refused = post(ledger, exchange, reserved, step, StepResult.POSTED);
                String why = "paid " + paid.actual() + " but only " + reserved + " was reserved: the excess of "
                        + paid.actual().minus(reserved) + " is not in the budget" + refused.map(r -> "; " + r).orElse("");
                discrepancies.report(new Discrepancy(id, exchange.intent().agent(),
                        Discrepancy.Kind.POST_REFUSED_AFTER_PAYMENT, Optional.of(paid), why, clock.instant()));
                return new Outcome.Discrepancy<>(exchange.intent(), paid, why);
            }
            Optional<String> refused = post(ledger, exchange, paid.actual(), step, StepResult.POSTED);
            if (refused.isEmpty()) {
                return inner;
            }
            discrepancies.report(new Discrepancy(id, exchange.intent().agent(), Discrepancy.Kind.POST_REFUSED_AFTER_PAYMENT,
                    Optional.of(paid), refused.get(), clock.instant()));
            return new Outcome.Discrepancy<>(exchange.intent(), paid, refused.get());
        }
        if (inner instanceof Outcome.InDoubt<T> doubt) {
            Money whole = reservation.get().amount();
            Optional<String> refused = post(ledger, exchange, whole, step, StepResult.POSTED_IN_DOUBT);
            discrepancies.report(new Discrepancy(id, exchange.intent().agent(), Discrepancy.Kind.PAYMENT_IN_DOUBT,
                    Optional.empty(), "step " + doubt.step() + " failed after a signature: " + doubt.error().getMessage()
                    + refused.map(r -> "; " + r).orElse("; the whole reservation of " + whole + " is counted as spent"),
                    clock.instant()));
            return inner;
        }
        ResolveResult voided = ledger.voidReservation(id);
        switch (voided) {
            case ResolveResult.Voided v -> exchange.record(EntryKind.BUDGET_VOID, step, StepResult.VOIDED, Exchange.details()
                    .put("released", v.reservation().amount().toString())
                    .put("because", inner.wireName()));
            case ResolveResult.Refused r -> exchange.record(EntryKind.BUDGET_VOID, step, StepResult.VOID_REFUSED,
                    Exchange.details().put("refusal", r.refusal().name().toLowerCase(java.util.Locale.ROOT))
                            .put("because", inner.wireName()));
            case ResolveResult.Posted p -> exchange.record(EntryKind.BUDGET_VOID, step, StepResult.VOID_REFUSED,
                    Exchange.details().put("refusal", "already_posted").put("because", inner.wireName()));
        }
        return inner;
    }

    /** Posts {@code amount}; empty when posted, otherwise why the ledger refused. */
    private static Optional<String> post(BudgetLedger ledger, Exchange<?> exchange, Money amount, String step,
            StepResult result) {
        String id = exchange.intent().id();
        ResolveResult posted;
        try {
            posted = ledger.post(id, amount);
        } catch (PolicyException e) {
            String why = "the ledger failed to post " + amount + " for intent " + id + ": " + e.getMessage();
            exchange.record(EntryKind.BUDGET_POST, step, StepResult.REFUSED_AFTER_PAYMENT, Exchange.details()
                    .put("amount", amount.toString()).put("why", why));
            return Optional.of(why);
        }
        return switch (posted) {
            case ResolveResult.Posted p -> {
                exchange.record(EntryKind.BUDGET_POST, step, result, Exchange.details()
                        .put("actual", amount.toString())
                        .put("reserved", p.reservation().amount().toString()));
                yield Optional.empty();
            }
            case ResolveResult.Refused r -> {
                String why = Outcome.describe(r);
                exchange.record(EntryKind.BUDGET_POST, step, StepResult.REFUSED_AFTER_PAYMENT, Exchange.details()
                        .put("amount", amount.toString())
                        .put("refusal", r.refusal().name().toLowerCase(java.util.Locale.ROOT))
                        .put("why", why));
                yield Optional.of(why);
            }
            case ResolveResult.Voided v -> {
                String why = "intent " + id + " was voided while its payment of " + amount + " was made";
                exchange.record(EntryKind.BUDGET_POST, step, StepResult.REFUSED_AFTER_PAYMENT, Exchange.details()
                        .put("amount", amount.toString()).put("why", why));
                yield Optional.of(why);
            }
        };
    }
}
