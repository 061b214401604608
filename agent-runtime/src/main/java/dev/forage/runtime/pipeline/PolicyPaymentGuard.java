package dev.forage.runtime.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.identity.AccountId;
import dev.forage.policies.Asset;
import dev.forage.policies.Context;
import dev.forage.policies.Decision;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.Reservation;
import dev.forage.runtime.audit.Actor;
import dev.forage.runtime.audit.AuditEvent;
import dev.forage.runtime.audit.AuditStorageException;
import dev.forage.runtime.audit.EntryKind;
import dev.forage.runtime.audit.SubjectKind;
import dev.forage.tools.settle.spi.PaymentDecision;
import dev.forage.tools.settle.spi.PaymentGuard;
import dev.forage.tools.settle.spi.PaymentRequest;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The policy engine as the settlement tools' {@link PaymentGuard}: a signature is allowed only
 * for a spend the governed chain has authorised, and only if it matches what was decided.
 *
 * <p>For a payment request to pass, all of these must hold: the chain authorised an intent
 * with the request's id (the idempotency key); the payee is the intent's counterparty; the
 * token and chain are the intent's asset; the amount is at most the intent's upper bound; the
 * intent's budget reservation is pending and not expired; and the policy engine, asked again
 * now with the context the intent was decided under, allows it (a policy reloaded in between
 * is obeyed). Anything else is a denial with the reason, so a planner that talks a tool into
 * paying something else gets no signature.
 *
 * <p>Every answer is an audit entry ({@code payment_guard}, result {@code allowed} or
 * {@code refused}): an answer for an authorised intent joins that action's entries (durable
 * when the action ends, like its other entries after money moved); a refusal of a payment
 * nobody authorised is made durable before it is returned, so every attempt outside the chain
 * leaves a trace. The chain creates and owns its guard ({@link GovernedChain#guard()}); give
 * that guard to the settlement tools.
 */
public final class PolicyPaymentGuard implements PaymentGuard {

    private final PolicyEngine engine;
    private final BudgetLedger ledger;
    private final Clock clock;
    private final AuditRecorder audit;
    private final Map<String, Authorization> authorized = new ConcurrentHashMap<>();

    PolicyPaymentGuard(PolicyEngine engine, BudgetLedger ledger, AuditRecorder audit, Clock clock) {
        this.engine = engine;
        this.ledger = ledger;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * The chain's permission for one intent to be paid: open from {@link #authorize} until
     * {@link #close}. Counts the signatures it allowed, so that a failure afterwards is known
     * to be a payment in doubt.
     */
    public final class Authorization implements AutoCloseable {
        private final SpendIntent intent;
        private final Context context;
        private final AuditRecorder.Session session;
        private final AtomicInteger allowed = new AtomicInteger();

        private Authorization(SpendIntent intent, Context context, AuditRecorder.Session session) {
            this.intent = intent;
            this.context = context;
            this.session = session;
        }

        /** The intent authorised. */
        public SpendIntent intent() {
            return intent;
        }

        /** The context it was decided under, used again at every signature. */
        public Context context() {
            return context;
        }

        /** How many signatures were allowed under it. */
        public int signaturesAllowed() {
            return allowed.get();
        }

        /** Ends it: no more signatures for the intent. */
        @Override
        public void close() {
            authorized.remove(intent.id(), this);
        }
    }

    /**
     * Lets payments for {@code intent} be signed while its reservation is pending, re-deciding
     * each with {@code context}; the answers join {@code session}, the action's entries.
     *
     * @throws IllegalStateException if the intent is already authorised (a second run of the
     *     same intent at the same time)
     */
    Authorization authorize(SpendIntent intent, Context context, AuditRecorder.Session session) {
        Authorization a = new Authorization(intent, context, session);
        if (authorized.putIfAbsent(intent.id(), a) != null) {
            throw new IllegalStateException("intent " + intent.id() + " is already being paid by another run");
        }
        return a;
    }

    /** The authorisation open for intent {@code id}, if any. */
    Optional<Authorization> authorization(String id) {
        return Optional.ofNullable(authorized.get(id));
    }

    @Override
    public PaymentDecision check(PaymentRequest request) {
        Authorization a = authorized.get(request.id());
        if (a == null) {
            PaymentDecision denied = PaymentDecision.deny("payment " + request.id() + " was not authorised by the governed "
                    + "pipeline (no policy decision and budget reservation for it): every payment must go through the pipeline");
            try {
                audit.appendNow(event(request, null, denied));
            } catch (AuditStorageException e) {
                // Refused either way; the entry waits in the backlog.
            }
            return denied;
        }
        PaymentDecision decision = decide(a, request);
        a.session.append(event(request, a, decision));
        if (decision.allowed()) {
            a.allowed.incrementAndGet();
        }
        return decision;
    }

    private PaymentDecision decide(Authorization a, PaymentRequest request) {
        SpendIntent intent = a.intent;
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
        Decision decision = engine.decide(intent, a.context);
        if (decision instanceof Decision.Allow allow) {
            return new PaymentDecision.Allow(allow.ruleIds().stream().map(id -> "allowed by rule " + id).toList());
        }
        return new PaymentDecision.Deny(decision.reasons().isEmpty()
                ? List.of("the policy no longer allows intent " + intent.id())
                : decision.reasons());
    }

    private AuditEvent event(PaymentRequest request, Authorization a, PaymentDecision decision) {
        String agent = a != null ? a.intent.agent() : AccountId.of(request.network(), request.payer()).toString();
        ObjectNode payload = JsonNodeFactory.instance.objectNode()
                .put("step", "guard")
                .put("result", (decision.allowed() ? StepResult.SIGNATURE_ALLOWED : StepResult.SIGNATURE_REFUSED).wireName())
                .put("action", request.action())
                .put("payer", request.payer().value())
                .put("payee", request.payee().value())
                .put("asset", request.asset().value())
                .put("network", request.network().toString())
                .put("amount", request.amount().toString())
                .put("resource", request.resource())
                .put("scheme", request.scheme())
                .put("authorised", a != null)
                .put("at", clock.instant().toString());
        if (a != null) {
            payload.put("intentDigest", a.session.digestOf(a.intent));
        }
        ArrayNode reasons = payload.putArray("reasons");
        decision.reasons().forEach(reasons::add);
        return AuditEvent.of(agent, EntryKind.PAYMENT_GUARD, a != null ? Actor.agent(agent) : Actor.system("payment-guard"),
                payload).withSubject(SubjectKind.INTENT, request.id());
    }
}
