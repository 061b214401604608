package dev.forage.runtime.pipeline;

import dev.forage.policies.Asset;
import dev.forage.policies.Decision;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.Reservation;
import dev.forage.tools.settle.spi.PaymentDecision;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.settle.spi.PaymentRequest;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy engine as the settlement tools' {@link PaymentGuard}: a signature is allowed only
 * for a spend the governed pipeline has authorised, and only if it matches what was decided.
 *
 * <p>For a payment request to pass, all of these must hold: the pipeline registered an intent
 * with the request's id (the idempotency key); the payee is the intent's counterparty; the
 * token and chain are the intent's asset; the amount is at most the intent's upper bound; the
 * intent's budget reservation is pending and not expired; and the policy engine, asked again
 * now, allows the intent (a policy reloaded in between is obeyed). Anything else is a denial
 * with the reason, so a planner that talks a tool into paying something else gets no signature.
 */
public final class PolicyPaymentGuard implements PaymentGuard {

    private final PolicyEngine engine;
    private final BudgetLedger ledger;
    private final Clock clock;
    private final Map<String, SpendIntent> authorized = new ConcurrentHashMap<>();

    public PolicyPaymentGuard(PolicyEngine engine, BudgetLedger ledger, Clock clock) {
        this.engine = engine;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Lets payments for {@code intent} be signed while its reservation is pending. */
    void authorize(SpendIntent intent) {
        authorized.put(intent.id(), intent);
    }

    /** Ends the authorisation of intent {@code intentId}. */
    void release(String intentId) {
        authorized.remove(intentId);
    }

    /** The intent authorised under {@code id}, if any. */
    Optional<SpendIntent> authorized(String id) {
        return Optional.ofNullable(authorized.get(id));
    }

    @Override
    public PaymentDecision check(PaymentRequest request) {
        SpendIntent intent = authorized.get(request.id());
        if (intent == null) {
            return PaymentDecision.deny("payment " + request.id() + " was not authorised by the governed pipeline "
                    + "(no policy decision and budget reservation for it): every payment must go through the pipeline");
        }
        if (!intent.counterparty().toLowerCase(Locale.ROOT).equals(request.payee().lowercase())) {
            return PaymentDecision.deny("payment " + request.id() + " pays " + request.payee()
                    + " but the decided counterparty is " + intent.counterparty());
        }
        Asset asset = intent.amount().asset();
        if (!asset.chain().equals(request.network().toString())
                || !asset.token().equalsIgnoreCase(request.asset().value())) {
            return PaymentDecision.deny("payment " + request.id() + " is in token " + request.asset() + " on "
                    + request.network() + " but the decided asset is " + asset);
        }
        if (request.amount().compareTo(intent.amount().units()) > 0) {
            return PaymentDecision.deny("payment " + request.id() + " of " + request.amount()
                    + " base units exceeds the decided upper bound " + intent.amount());
        }
        Optional<Reservation> reservation = ledger.find(intent.id());
        if (reservation.isEmpty() || reservation.get().state() != Reservation.State.PENDING
                || !clock.instant().isBefore(reservation.get().expiresAt())) {
            return PaymentDecision.deny("payment " + request.id() + " has no pending budget reservation ("
                    + reservation.map(r -> r.state() + ", expires " + r.expiresAt()).orElse("none") + ")");
        }
        Decision decision = engine.decide(intent);
        if (decision instanceof Decision.Allow allow) {
            return new PaymentDecision.Allow(allow.ruleIds().stream().map(id -> "allowed by rule " + id).toList());
        }
        return new PaymentDecision.Deny(decision.reasons().isEmpty()
                ? java.util.List.of("the policy no longer allows intent " + intent.id())
                : decision.reasons());
    }
}
