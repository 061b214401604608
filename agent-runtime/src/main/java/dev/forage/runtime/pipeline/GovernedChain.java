package dev.forage.runtime.pipeline;

import dev.forage.policies.PolicyEngine;
import dev.forage.policies.approval.Approvals;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.tools.internal.KeyedLocks;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one governed chain every action passes: feedback (outermost), replay, decide, approval,
 * reserve, post-or-void, authorize, execute, verify, settle. Each step is a small
 * {@link Step}; the chain runs them in order like interceptors and enforces their obligations
 * (each proceeds at most once, every early exit has an audit entry, a step's failure becomes an
 * outcome, and no reservation is left pending). Later layers add steps with
 * {@link Builder#addBefore} / {@link Builder#addAfter} without editing the others.
 *
 * <pre>{@code
 * GovernedChain chain = GovernedChain.builder(engine, ledger, audit).build();
 * X402Client x402 = new X402Client(X402Client.Config.of(http, agentKey, chain.guard(), chainId, token, cap));
 * Outcome<PaymentReceipt> outcome = chain.run(Action.purchase(intent, Context.empty(), spend -> ...));
 * }</pre>
 *
 * <p>Runs of the same intent id are serialised: a second run waits and then finds the first
 * one's posting ({@link Outcome.Replayed}). Thread-safe; actions run on the caller's thread,
 * meant to be a virtual thread.
 */
public final class GovernedChain {

    private final List<Step> steps;
    private final PolicyPaymentGuard guard;
    private final BudgetLedger ledger;
    private final AuditRecorder recorder;
    private final Discrepancies discrepancies;
    private final Clock clock;
    private final KeyedLocks locks = new KeyedLocks();

    private GovernedChain(Builder b, List<Step> steps) {
        this.steps = List.copyOf(steps);
        this.guard = b.guard;
        this.ledger = b.ledger;
        this.recorder = b.recorder;
        this.discrepancies = b.discrepancies;
        this.clock = b.clock;
    }

    /**
     * A builder for the standard chain.
     *
     * @param engine decides every intent
     * @param ledger reserves, posts and voids
     * @param audit where every step, and every answer of the chain's payment guard, is recorded
     */
    public static Builder builder(PolicyEngine engine, BudgetLedger ledger, AuditLog audit) {
        return new Builder(engine, ledger, audit);
    }

    /**
     * The payment guard of this chain: give it to the settlement tools (x402 client, settlement
     * client), which ask it before every signature. It allows a signature only for an intent
     * this chain is running and has authorised.
     */
    public PolicyPaymentGuard guard() {
        return guard;
    }

    /**
     * Runs {@code action} through every step and returns how it ended. Never throws for an
     * expected outcome or a step's failure; each is an {@link Outcome} with its audit entries.
     */
    public <T> Outcome<T> run(Action<T> action) {
        Objects.requireNonNull(action, "action");
        return locks.withLock(action.intent().id(), () -> runLocked(action));
    }

    private <T> Outcome<T> runLocked(Action<T> action) {
        Exchange<T> exchange = new Exchange<>(action, recorder.session(), clock);
        Outcome<T> outcome = invoke(0, exchange);
        // The safety net: whatever the steps did, the reservation does not stay pending.
        outcome = PostOrVoidStep.resolve(ledger, discrepancies, clock, exchange, outcome, "chain");
        exchange.finish();
        return outcome;
    }

    private <T> Outcome<T> invoke(int index, Exchange<T> exchange) {
        if (index == steps.size()) {
            return new Outcome.Done<>(exchange.intent(), exchange.result().orElseThrow(() -> new IllegalStateException(
                    "the chain ended without a result for intent " + exchange.intent().id() + ": it has no execute step")),
                    exchange.paid(), exchange.verdict());
        }
        Step step = steps.get(index);
        Once<T> next = new Once<>(step, () -> invoke(index + 1, exchange));
        int before = exchange.entriesWritten();
        Outcome<T> outcome;
        try {
            outcome = Objects.requireNonNull(step.apply(exchange, next), () -> "step " + step.name() + " returned no outcome");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = failed(step, exchange, e);
        } catch (Exception e) {
            outcome = failed(step, exchange, e);
        }
        if (!next.called && exchange.entriesWritten() == before) {
            exchange.record(step.kind(exchange), step.name(), StepResult.ENDED_WITHOUT_ENTRY, Exchange.details()
                    .put("outcome", outcome.wireName()));
        }
        return outcome;
    }

    /** Records a step's failure and turns it into an outcome: failed, or in doubt after a signature. */
    private <T> Outcome<T> failed(Step step, Exchange<T> exchange, Exception error) {
        boolean doubt = exchange.paid().isEmpty() && MoneyMovement.inDoubt(error, exchange.signaturesAllowed());
        exchange.record(step.kind(exchange), step.name(), doubt ? StepResult.IN_DOUBT : StepResult.FAILED,
                Exchange.details()
                        .put("error", error.getClass().getSimpleName())
                        .put("message", String.valueOf(error.getMessage()))
                        .put("signaturesAllowed", exchange.signaturesAllowed()));
        return doubt
                ? new Outcome.InDoubt<>(exchange.intent(), step.name(), error)
                : new Outcome.Failed<>(exchange.intent(), step.name(), error, exchange.paid());
    }

    /** The step names in order, outermost first. */
    public List<String> stepNames() {
        return steps.stream().map(Step::name).toList();
    }

    /** Discrepancies between money and books found so far. */
    public Discrepancies discrepancies() {
        return discrepancies;
    }

    /** Audit entries that could not be stored yet and will be appended again. */
    public int auditBacklog() {
        return recorder.backlogSize();
    }

    /**
     * Appends the audit backlog again now.
     *
     * @return how many entries are still waiting
     */
    public int flushAuditBacklog() {
        return recorder.flushBacklog();
    }

    private static final class Once<T> implements Step.Next<T> {
        private final Step owner;
        private final java.util.function.Supplier<Outcome<T>> rest;
        private boolean called;

        Once(Step owner, java.util.function.Supplier<Outcome<T>> rest) {
            this.owner = owner;
            this.rest = rest;
        }

        @Override
        public Outcome<T> proceed() {
            if (called) {
                throw new IllegalStateException("step " + owner.name() + " called proceed() twice: each step runs the "
                        + "rest of the chain at most once");
            }
            called = true;
            return rest.get();
        }
    }

    /** Builds a {@link GovernedChain}. */
    public static final class Builder {
        private final PolicyEngine engine;
        private final BudgetLedger ledger;
        private final AuditRecorder recorder;
        private PolicyPaymentGuard guard;
        private Clock clock = Clock.systemUTC();
        private Duration reservationTtl = Duration.ofMinutes(5);
        private Approvals approvals;
        private Duration approvalWait = Duration.ZERO;
        private Duration approvalPoll = Duration.ofMillis(200);
        private Feedback feedback = Feedback.none();
        private Discrepancies discrepancies = Discrepancies.inMemory();
        private final List<Placed> added = new ArrayList<>();

        private record Placed(String anchor, boolean before, Step step) {}

        private Builder(PolicyEngine engine, BudgetLedger ledger, AuditLog audit) {
            this.engine = Objects.requireNonNull(engine, "engine");
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            this.recorder = new AuditRecorder(Objects.requireNonNull(audit, "audit"));
        }

        /** The clock for entry times and approval waits; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long a reservation holds before it expires; default 5 minutes. */
        public Builder reservationTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("reservation ttl " + ttl + " must be positive");
            }
            this.reservationTtl = ttl;
            return this;
        }

        /**
         * The approval inbox the engine opens requests in, and how long an action waits there for
         * an approver before it ends as awaiting approval (default: not at all).
         */
        public Builder approvals(Approvals inbox, Duration wait) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("approval wait " + wait + " must not be negative");
            }
            this.approvals = Objects.requireNonNull(inbox, "inbox");
            this.approvalWait = wait;
            return this;
        }

        /** Where outcomes are learnt from; default none. */
        public Builder feedback(Feedback feedback) {
            this.feedback = Objects.requireNonNull(feedback, "feedback");
            return this;
        }

        /** Where discrepancies are reported; default an in-memory list. */
        public Builder discrepancies(Discrepancies discrepancies) {
            this.discrepancies = Objects.requireNonNull(discrepancies, "discrepancies");
            return this;
        }

        /** Adds {@code step} just before the step named {@code anchor}. */
        public Builder addBefore(String anchor, Step step) {
            added.add(new Placed(anchor, true, Objects.requireNonNull(step, "step")));
            return this;
        }

        /** Adds {@code step} just after the step named {@code anchor}. */
        public Builder addAfter(String anchor, Step step) {
            added.add(new Placed(anchor, false, Objects.requireNonNull(step, "step")));
            return this;
        }

        /**
         * The chain.
         *
         * @throws IllegalArgumentException when an added step's anchor is unknown or two steps
         *     share a name
         */
        public GovernedChain build() {
            guard = new PolicyPaymentGuard(engine, ledger, recorder, clock);
            List<Step> steps = new ArrayList<>(List.of(
                    new FeedbackStep(feedback),
                    new ReplayStep(ledger),
                    new DecideStep(engine),
                    new ApprovalStep(engine, java.util.Optional.ofNullable(approvals), approvalWait, approvalPoll, clock),
                    new ReserveStep(engine, ledger, reservationTtl),
                    new PostOrVoidStep(ledger, discrepancies, clock),
                    new AuthorizeStep(guard),
                    new ExecuteStep(),
                    new VerifyStep(),
                    new SettleStep()));
            for (Placed p : added) {
                int at = -1;
                for (int i = 0; i < steps.size(); i++) {
                    if (steps.get(i).name().equals(p.anchor())) {
                        at = i;
                    }
                }
                if (at < 0) {
                    throw new IllegalArgumentException("no step named '" + p.anchor() + "' to add " + p.step().name()
                            + " next to; the steps are " + steps.stream().map(Step::name).toList());
                }
                steps.add(p.before() ? at : at + 1, p.step());
            }
            Set<String> names = new HashSet<>();
            for (Step s : steps) {
                if (!names.add(s.name())) {
                    throw new IllegalArgumentException("two steps are named '" + s.name() + "': each step runs once");
                }
            }
            return new GovernedChain(this, steps);
        }
    }
}
