package dev.forage.runtime.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.policies.Context;
import dev.forage.policies.Decision;
import dev.forage.policies.Money;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.ReserveResult;
import dev.forage.policies.ledger.ResolveResult;
import dev.forage.runtime.audit.Actor;
import dev.forage.runtime.audit.AuditEvent;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.EntryKind;
import dev.forage.runtime.audit.SubjectKind;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one spend through the governed pipeline: the policy decision, the two-phase budget
 * reservation, the payment, then posting the actual amount (or voiding the reservation when
 * the payment fails), writing each step to the audit log as it happens.
 *
 * <p>While the payment runs, the {@link PolicyPaymentGuard} lets the settlement tools sign
 * for this intent and nothing else. An intent id is the idempotency key end to end: the same
 * id reaches the ledger, the guard and the payment.
 */
public final class GovernedPayment {

    /**
     * What a payment produced.
     *
     * @param actual what was spent, at most the intent's amount
     * @param txHash the settlement transaction, if one is known
     * @param result what was bought (e.g. a response body)
     * @param <T> the result type
     */
    public record Paid<T>(Money actual, Optional<String> txHash, T result) {
        public Paid {
            Objects.requireNonNull(actual, "actual");
            Objects.requireNonNull(txHash, "txHash");
        }
    }

    /** The payment itself, run once the spend is decided and reserved. */
    @FunctionalInterface
    public interface Execution<T> {
        Paid<T> pay(SpendIntent intent) throws Exception;
    }

    /** How a governed spend ended. */
    public sealed interface Outcome<T> {
        /** The intent. */
        SpendIntent intent();
    }

    /** The policy refused (or asked for an approval not yet given); nothing was reserved or signed. */
    public record Refused<T>(SpendIntent intent, Decision decision) implements Outcome<T> {}

    /** A budget had no room for the amount; nothing was signed. */
    public record OverBudget<T>(SpendIntent intent, String why) implements Outcome<T> {}

    /** The payment failed; the reservation was voided. */
    public record Failed<T>(SpendIntent intent, Exception error) implements Outcome<T> {}

    /** The payment went through and the actual amount was posted. */
    public record Done<T>(SpendIntent intent, Paid<T> paid) implements Outcome<T> {}

    private final PolicyEngine engine;
    private final BudgetLedger ledger;
    private final PolicyPaymentGuard guard;
    private final AuditLog audit;
    private final Duration reservationTtl;

    public GovernedPayment(PolicyEngine engine, BudgetLedger ledger, PolicyPaymentGuard guard, AuditLog audit,
            Duration reservationTtl) {
        this.engine = engine;
        this.ledger = ledger;
        this.guard = guard;
        this.audit = audit;
        this.reservationTtl = reservationTtl;
    }

    /** Decides, reserves, pays and posts {@code intent}, auditing each step. */
    public <T> Outcome<T> run(SpendIntent intent, Context context, Execution<T> execution) {
        Decision decision = engine.decide(intent, context);
        record(intent, EntryKind.POLICY_DECISION, decisionPayload(decision, intent), Optional.empty());
        if (!(decision instanceof Decision.Allow)) {
            return new Refused<>(intent, decision);
        }
        ReserveResult reserved = ledger.reserve(engine.reserveRequest(intent, reservationTtl));
        if (reserved instanceof ReserveResult.Exceeded exceeded) {
            record(intent, EntryKind.BUDGET_RESERVE, payload(intent).put("result", "exceeded")
                    .put("why", exceeded.describe()), Optional.empty());
            return new OverBudget<>(intent, exceeded.describe());
        }
        record(intent, EntryKind.BUDGET_RESERVE, payload(intent).put("result", "reserved")
                .put("amount", intent.amount().toString()), Optional.empty());
        guard.authorize(intent);
        Paid<T> paid;
        try {
            paid = execution.pay(intent);
        } catch (Exception e) {
            guard.release(intent.id());
            ResolveResult voided = ledger.voidReservation(intent.id());
            record(intent, EntryKind.BUDGET_VOID, payload(intent).put("result", voided.getClass().getSimpleName())
                    .put("error", String.valueOf(e.getMessage())), Optional.empty());
            return new Failed<>(intent, e);
        }
        guard.release(intent.id());
        record(intent, EntryKind.SETTLEMENT_TX, payload(intent).put("amount", paid.actual().toString())
                .put("counterparty", intent.counterparty()), paid.txHash());
        ResolveResult posted = ledger.post(intent.id(), paid.actual());
        record(intent, EntryKind.BUDGET_POST, payload(intent).put("result", posted.getClass().getSimpleName())
                .put("actual", paid.actual().toString()), Optional.empty());
        return new Done<>(intent, paid);
    }

    private static ObjectNode payload(SpendIntent intent) {
        return JsonNodeFactory.instance.objectNode()
                .put("action", intent.action())
                .put("intentDigest", intent.digest());
    }

    private static ObjectNode decisionPayload(Decision decision, SpendIntent intent) {
        ObjectNode node = payload(intent)
                .put("decision", switch (decision) {
                    case Decision.Allow a -> "allow";
                    case Decision.Deny d -> "deny";
                    case Decision.RequireApproval r -> "require_approval";
                })
                .put("amount", intent.amount().toString())
                .put("counterparty", intent.counterparty());
        ArrayNode rules = node.putArray("rules");
        decision.ruleIds().forEach(rules::add);
        ArrayNode reasons = node.putArray("reasons");
        decision.reasons().forEach(reasons::add);
        return node;
    }

    private void record(SpendIntent intent, EntryKind kind, ObjectNode payload, Optional<String> txHash) {
        AuditEvent event = AuditEvent.of(intent.agent(), kind, Actor.agent(intent.agent()), payload)
                .withSubject(SubjectKind.INTENT, intent.id());
        if (txHash.isPresent()) {
            event = event.withSubject(SubjectKind.TX_HASH, txHash.get());
        }
        // Each step is durable in the log before the next begins.
        audit.append(event).join();
    }
}
