package dev.forage.runtime.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.policies.Decision;
import dev.forage.policies.PolicyEngine;
import dev.forage.runtime.audit.EntryKind;

/** Asks the policy engine; a denial ends the action, an allow or a request for approval goes on. */
final class DecideStep implements Step {

    private final PolicyEngine engine;

    DecideStep(PolicyEngine engine) {
        this.engine = engine;
    }

    @Override
    public String name() {
        return "decide";
    }

    @Override
    public EntryKind kind(Exchange<?> exchange) {
        return EntryKind.POLICY_DECISION;
    }

    @Override
    public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) {
        Decision decision = decideAndRecord(engine, exchange, name());
        if (decision instanceof Decision.Deny) {
            return new Outcome.Refused<>(exchange.intent(), decision);
        }
        return next.proceed();
    }

    /** The audit result naming {@code decision}. */
    static StepResult resultOf(Decision decision) {
        return switch (decision) {
            case Decision.Allow a -> StepResult.ALLOW;
            case Decision.Deny d -> StepResult.DENY;
            case Decision.RequireApproval r -> StepResult.REQUIRE_APPROVAL;
        };
    }

    /** Decides with the action's context, records the decision and keeps it in the exchange. */
    static Decision decideAndRecord(PolicyEngine engine, Exchange<?> exchange, String step) {
        Decision decision = engine.decide(exchange.intent(), exchange.action().context());
        exchange.decided(decision);
        StepResult result = resultOf(decision);
        ObjectNode details = Exchange.details()
                .put("decision", result.wireName())
                .put("amount", exchange.intent().amount().toString())
                .put("counterparty", exchange.intent().counterparty());
        ArrayNode rules = details.putArray("rules");
        decision.ruleIds().forEach(rules::add);
        ArrayNode reasons = details.putArray("reasons");
        decision.reasons().forEach(reasons::add);
        if (decision instanceof Decision.RequireApproval r) {
            details.put("approvalRequest", r.request().id());
        }
        exchange.record(EntryKind.POLICY_DECISION, step, result, details);
        return decision;
    }
}
