package dev.forage.runtime.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.policies.Decision;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.Reservation;
import dev.forage.runtime.audit.Actor;
import dev.forage.runtime.audit.AuditEvent;
import dev.forage.runtime.audit.EntryKind;
import dev.forage.runtime.audit.SubjectKind;
import dev.forage.tools.verify.Verdict;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one action as it passes the chain's steps: what was decided, reserved,
 * produced, verified and paid. Steps read it and record what they did; the chain checks each
 * step's obligations against it. One thread at a time (the action's).
 *
 * @param <T> the result type of the action
 */
public final class Exchange<T> {

    private final Action<T> action;
    private final AuditRecorder.Session audit;
    private final Clock clock;
    private Decision decision;
    private Reservation reservation;
    private PolicyPaymentGuard.Authorization authorization;
    private T result;
    private Verdict verdict;
    private Paid paid;
    private boolean resolved;

    Exchange(Action<T> action, AuditRecorder.Session audit, Clock clock) {
        this.action = action;
        this.audit = audit;
        this.clock = clock;
    }

    /** The action. */
    public Action<T> action() {
        return action;
    }

    /** The action's intent. */
    public SpendIntent intent() {
        return action.intent();
    }

    /** The latest policy decision, once made. */
    public Optional<Decision> decision() {
        return Optional.ofNullable(decision);
    }

    /** The budget reservation, once made (or found from an earlier run). */
    public Optional<Reservation> reservation() {
        return Optional.ofNullable(reservation);
    }

    /** The execution's result, once produced. */
    public Optional<T> result() {
        return Optional.ofNullable(result);
    }

    /** The verdict on the result, once verified. */
    public Optional<Verdict> verdict() {
        return Optional.ofNullable(verdict);
    }

    /** What moved, once anything did. */
    public Optional<Paid> paid() {
        return Optional.ofNullable(paid);
    }

    /** Whether the payment guard has been opened for this intent (signatures can happen from now on). */
    public boolean authorized() {
        return authorization != null;
    }

    /** How many signatures the guard has allowed for this intent so far. */
    public int signaturesAllowed() {
        return authorization == null ? 0 : authorization.signaturesAllowed();
    }

    /**
     * Records an audit entry for this action's intent. The entry is appended at once; whether
     * it is durable is checked before money can move and at the end of the action.
     *
     * @param kind the entry kind
     * @param step the step writing it, e.g. {@code reserve}
     * @param result how the step ended
     * @param details the step's facts; {@code action}, {@code intentDigest}, {@code step},
     *     {@code result} and {@code at} are added
     */
    public void record(EntryKind kind, String step, StepResult result, ObjectNode details) {
        append(kind, step, result, details, null);
    }

    /**
     * {@link #record(EntryKind, String, StepResult, ObjectNode)} for an entry about a
     * transaction as well.
     *
     * @param txHash the transaction hash the entry is about
     */
    public void record(EntryKind kind, String step, StepResult result, ObjectNode details, String txHash) {
        append(kind, step, result, details, Objects.requireNonNull(txHash, "txHash"));
    }

    private void append(EntryKind kind, String step, StepResult result, ObjectNode details, String txHash) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode()
                .put("step", step)
                .put("result", result.wireName())
                .put("action", intent().action())
                .put("intentDigest", audit.digestOf(intent()))
                .put("at", clock.instant().toString());
        payload.setAll(details);
        AuditEvent event = AuditEvent.of(intent().agent(), kind, Actor.agent(intent().agent()), payload)
                .withSubject(SubjectKind.INTENT, intent().id());
        if (txHash != null) {
            event = event.withSubject(SubjectKind.TX_HASH, txHash);
        }
        audit.append(event);
    }

    /** An empty details object to fill. */
    public static ObjectNode details() {
        return JsonNodeFactory.instance.objectNode();
    }

    AuditRecorder.Session session() {
        return audit;
    }

    int entriesWritten() {
        return audit.written();
    }

    void awaitDurable() {
        audit.awaitDurable();
    }

    void finish() {
        audit.finish();
    }

    /** Whether the reservation was posted or voided (or that was attempted) in this run. */
    boolean resolved() {
        return resolved;
    }

    void resolve() {
        resolved = true;
    }

    void decided(Decision next) {
        this.decision = Objects.requireNonNull(next);
    }

    void reserved(Reservation next) {
        this.reservation = Objects.requireNonNull(next);
    }

    void authorized(PolicyPaymentGuard.Authorization next) {
        this.authorization = Objects.requireNonNull(next);
    }

    void produced(T next) {
        this.result = Objects.requireNonNull(next);
    }

    void verified(Verdict next) {
        this.verdict = Objects.requireNonNull(next);
    }

    void paid(Paid next) {
        if (paid != null) {
            throw new IllegalStateException("intent " + intent().id() + " was already paid (" + paid.actual()
                    + "); a second payment of " + next.actual() + " for one intent is refused");
        }
        this.paid = Objects.requireNonNull(next);
    }
}
