package dev.forage.policies;

import dev.forage.policies.approval.Approvals;
import dev.forage.policies.internal.CelPolicyEngine;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.BudgetLine;
import dev.forage.policies.ledger.ReserveRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides every spend against the loaded spending policy: YAML documents whose rules are CEL
 * expressions, compiled once at load. Thread-safe; {@link #decide} never compiles anything.
 *
 * <p>Anything that is about to commit money (a settlement adapter about to sign, an x402
 * client about to pay) calls {@link #decide(SpendIntent)} and proceeds only on
 * {@link Decision.Allow}.
 *
 * <pre>{@code
 * BudgetLedger ledger = BudgetLedger.sqlite(Path.of("ledger.db"), Clock.systemUTC());
 * PolicyEngine engine = PolicyEngine.builder(ledger)
 *     .assets(Assets.of(usdc))
 *     .source(PolicySource.file(Path.of("policy.yaml")))
 *     .build();
 * Decision d = engine.decide(intent, Context.of(stats));
 * if (d.allowed()) {
 *   ledger.reserve(engine.reserveRequest(intent, Duration.ofMinutes(10)));
 * }
 * }</pre>
 */
public interface PolicyEngine {

    /**
     * Decides on {@code intent}. Deny if any deny rule matches or a budget the intent falls
     * under has less room than its amount; otherwise require approval if any require_approval
     * rule matches (and no approval has been granted for this exact intent); otherwise allow if
     * any allow rule matches; otherwise deny. A rule whose evaluation fails counts as matched
     * for deny and require_approval and as not matched for allow (fail closed).
     *
     * @param intent the proposed spend
     * @param context what the caller knows about the counterparty
     */
    Decision decide(SpendIntent intent, Context context);

    /** {@link #decide(SpendIntent, Context)} with no counterparty statistics. */
    default Decision decide(SpendIntent intent) {
        return decide(intent, Context.empty());
    }

    /**
     * The budgets {@code intent} falls under (scope matches, same asset), each split as its
     * budget says: what the ledger must reserve against.
     */
    List<BudgetLine> budgetsFor(SpendIntent intent);

    /** A ledger request reserving the intent's amount against {@link #budgetsFor}. */
    default ReserveRequest reserveRequest(SpendIntent intent, Duration ttl) {
        return new ReserveRequest(intent.id(), intent.amount(), budgetsFor(intent), ttl);
    }

    /**
     * Compiles {@code sources} and makes them the active policy. On any problem nothing
     * changes: the previous policy stays active.
     *
     * @throws PolicyLoadException listing every problem with file, line and rule id
     */
    PolicyInfo reload(List<PolicySource> sources);

    /** The active policy. */
    PolicyInfo current();

    /** A builder for an engine that reads budget usage from {@code ledger}. */
    static Builder builder(BudgetLedger ledger) {
        return new Builder(ledger);
    }

    /** Builds a {@link PolicyEngine}. */
    final class Builder {
        private final BudgetLedger ledger;
        private Clock clock = Clock.systemUTC();
        private Assets assets = Assets.empty();
        private Approvals approvals;
        private Duration approvalTtl;
        private final List<PolicySource> sources = new ArrayList<>();

        private Builder(BudgetLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
        }

        /** The clock for {@code now} in rules and for approval expiry; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Assets that documents may name besides those they declare themselves. */
        public Builder assets(Assets assets) {
            this.assets = Objects.requireNonNull(assets, "assets");
            return this;
        }

        /**
         * Where approval requests go; default an in-memory inbox on the engine's clock. The inbox
         * sets its own request lifetime, so this cannot be combined with {@link #approvalTtl}.
         */
        public Builder approvals(Approvals approvals) {
            this.approvals = Objects.requireNonNull(approvals, "approvals");
            return this;
        }

        /**
         * How long an approval request stays open in the default inbox; default 15 minutes. Only
         * for the default inbox: with {@link #approvals} the inbox decides.
         */
        public Builder approvalTtl(Duration ttl) {
            this.approvalTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** Adds a policy source; later sources compose with earlier ones. */
        public Builder source(PolicySource source) {
            sources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /** Adds policy sources. */
        public Builder sources(List<PolicySource> more) {
            more.forEach(this::source);
            return this;
        }

        /**
         * Compiles the sources into an engine.
         *
         * @throws PolicyLoadException listing every problem
         * @throws InvalidValueException when both an inbox and {@link #approvalTtl} are given
         */
        public PolicyEngine build() {
            if (approvals != null && approvalTtl != null) {
                throw new InvalidValueException("policy engine: approvalTtl " + approvalTtl + " was set together with an "
                        + "approval inbox, whose own lifetime applies; set the lifetime on the inbox "
                        + "(Approvals.inMemory(clock, ttl)) or drop approvals(...) to use the default inbox");
            }
            Approvals inbox = approvals != null ? approvals
                    : Approvals.inMemory(clock, approvalTtl != null ? approvalTtl : Duration.ofMinutes(15));
            return new CelPolicyEngine(ledger, inbox, assets, clock, sources);
        }
    }
}
