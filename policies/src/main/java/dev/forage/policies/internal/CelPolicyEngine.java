package dev.forage.policies.internal;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import dev.forage.policies.Assets;
import dev.forage.policies.BudgetHeadroom;
import dev.forage.policies.Context;
import dev.forage.policies.CounterpartyStats;
import dev.forage.policies.Decision;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.PolicyInfo;
import dev.forage.policies.PolicySource;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.approval.ApprovalRequest;
import dev.forage.policies.approval.ApprovalStatus;
import dev.forage.policies.approval.Approvals;
import dev.forage.policies.internal.PolicyModel.Budget;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.BudgetLine;
import dev.forage.policies.ledger.BudgetUsage;
import dev.forage.policies.ledger.Reservation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link PolicyEngine}: a compiled policy behind an atomic reference (reload swaps it
 * whole or not at all), evaluated against one set of CEL variables per decision.
 */
public final class CelPolicyEngine implements PolicyEngine {

    private final BudgetLedger ledger;
    private final Approvals approvals;
    private final Assets assets;
    private final Clock clock;
    private final boolean indexRules;
    private final AtomicReference<CompiledPolicy> policy = new AtomicReference<>();

    /**
     * Compiles {@code sources} with rule indexing on.
     *
     * @throws dev.forage.policies.PolicyLoadException listing every problem
     */
    public CelPolicyEngine(BudgetLedger ledger, Approvals approvals, Assets assets, Clock clock,
            List<PolicySource> sources) {
        this(ledger, approvals, assets, clock, sources, true);
    }

    /**
     * Compiles {@code sources}.
     *
     * @param indexRules whether to skip rules whose static conditions cannot match; off only
     *     to measure what the index saves
     */
    public CelPolicyEngine(BudgetLedger ledger, Approvals approvals, Assets assets, Clock clock,
            List<PolicySource> sources, boolean indexRules) {
        this.ledger = ledger;
        this.approvals = approvals;
        this.assets = assets;
        this.clock = clock;
        this.indexRules = indexRules;
        policy.set(PolicyCompiler.compile(List.copyOf(sources), assets, clock.instant(), indexRules));
    }

    @Override
    public synchronized PolicyInfo reload(List<PolicySource> sources) {
        CompiledPolicy next = PolicyCompiler.compile(List.copyOf(sources), assets, clock.instant(), indexRules);
        policy.set(next);
        return next.info();
    }

    @Override
    public PolicyInfo current() {
        return policy.get().info();
    }

    @Override
    public List<BudgetLine> budgetsFor(SpendIntent intent) {
        return budgetsFor(policy.get(), intent);
    }

    private static List<BudgetLine> budgetsFor(CompiledPolicy p, SpendIntent intent) {
        List<BudgetLine> out = new ArrayList<>(p.budgets().size());
        for (Budget b : p.budgets()) {
            if (applies(b, intent)) {
                String split = b.per() == null ? "" : b.per().of(intent);
                out.add(new BudgetLine(b.id(), split, b.limit(), b.window()));
            }
        }
        return out;
    }

    private static boolean applies(Budget b, SpendIntent intent) {
        return b.limit().asset().equals(intent.amount().asset())
                && (b.documentAgents().isEmpty() || b.documentAgents().contains(intent.agent()))
                && b.scope().matches(intent);
    }

    @Override
    public Decision decide(SpendIntent intent, Context context) {
        CompiledPolicy p = policy.get();
        Instant now = clock.instant();
        List<BudgetLine> lines = budgetsFor(p, intent);
        List<BudgetHeadroom> headroom = new ArrayList<>(lines.size());
        List<String> ids = new ArrayList<>(4);
        List<String> reasons = new ArrayList<>(4);
        List<String> notes = new ArrayList<>(0);

        // Budgets first: an intent the ledger would refuse is denied up front, with the numbers.
        // An intent that already holds its reservation (a retry after a crash) is not counted twice.
        boolean alreadyHeld = !lines.isEmpty() && ledger.find(intent.id())
                .map(r -> r.state() == Reservation.State.PENDING || r.state() == Reservation.State.POSTED)
                .orElse(false);
        for (BudgetLine line : lines) {
            BudgetUsage u = ledger.usage(line);
            BudgetHeadroom h = new BudgetHeadroom(line.budgetId(), u.account(), u.limit(), u.spent(), u.reserved(), u.remaining());
            headroom.add(h);
            if (!alreadyHeld && intent.amount().isGreaterThan(h.remaining())) {
                ids.add("budget:" + line.budgetId());
                reasons.add("budget " + line.ref() + " has " + h.remaining() + " left of " + h.limit() + " (spent " + h.spent()
                        + ", reserved " + h.reserved() + "); this intent needs " + intent.amount());
            }
        }

        Vars vars = new Vars(intent, context.counterparty(), p, headroom, now);
        evaluate(p.deny(), intent, vars, true, ids, reasons, notes);
        if (!ids.isEmpty()) {
            reasons.addAll(notes);
            return new Decision.Deny(intent.id(), ids, reasons, headroom);
        }

        evaluate(p.approval(), intent, vars, true, ids, reasons, notes);
        if (!ids.isEmpty()) {
            ApprovalRequest request = approvals.open(intent, ids, reasons);
            switch (request.status()) {
                case ApprovalStatus.Approved a -> {
                    reasons.add("approved by " + a.approverId() + " at " + a.at() + ": " + a.reason());
                    return new Decision.Allow(intent.id(), ids, reasons, headroom);
                }
                case ApprovalStatus.Denied d -> {
                    reasons.add("approval denied by " + d.approverId() + " at " + d.at() + ": " + d.reason());
                    return new Decision.Deny(intent.id(), ids, reasons, headroom);
                }
                case ApprovalStatus.Expired e -> {
                    reasons.add("approval request " + request.id() + " expired at " + e.at() + " unanswered: counts as denied");
                    return new Decision.Deny(intent.id(), ids, reasons, headroom);
                }
                case ApprovalStatus.Pending pending -> {
                    reasons.addAll(notes);
                    return new Decision.RequireApproval(intent.id(), ids, reasons, headroom, request);
                }
            }
        }

        evaluate(p.allow(), intent, vars, false, ids, reasons, notes);
        reasons.addAll(notes);
        if (!ids.isEmpty()) {
            return new Decision.Allow(intent.id(), ids, reasons, headroom);
        }
        reasons.add(0, "no allow rule matched " + intent.action() + " of " + intent.amount() + " to "
                + intent.counterparty() + " by " + intent.agent() + ": denied by default");
        return new Decision.Deny(intent.id(), List.of(), reasons, headroom);
    }

    /**
     * Evaluates the candidate rules of one effect, adding each match. A rule that fails to
     * evaluate counts as matched when {@code errorMatches} (deny, require_approval) and as not
     * matched otherwise (allow): both fail closed.
     */
    private static void evaluate(RuleIndex rules, SpendIntent intent, Vars vars, boolean errorMatches,
            List<String> ids, List<String> reasons, List<String> notes) {
        if (rules.size() == 0) {
            return;
        }
        for (CompiledRule rule : rules.candidates(intent)) {
            if (!rule.appliesTo(intent.agent())) {
                continue;
            }
            try {
                if (Boolean.TRUE.equals(rule.program().eval(vars))) {
                    ids.add(rule.id());
                    reasons.add(rule.reason());
                }
            } catch (CelEvaluationException | RuntimeException e) {
                String why = "rule " + rule.id() + " (" + rule.source() + ":" + rule.line() + ") could not be evaluated: "
                        + e.getMessage();
                if (errorMatches) {
                    ids.add(rule.id());
                    reasons.add(why + "; counts as matched (fail closed)");
                } else {
                    notes.add(why + "; counts as not matched (fail closed)");
                }
            }
        }
    }

    /** The CEL variables of one decision; {@code budgets} is built only if a rule reads it. */
    private static final class Vars implements CelVariableResolver {
        private final Optional<Object> intent;
        private final Optional<Object> counterparty;
        private final Optional<Object> lists;
        private final Optional<Object> now;
        private final CompiledPolicy policy;
        private final List<BudgetHeadroom> headroom;
        private Optional<Object> budgets;

        Vars(SpendIntent i, CounterpartyStats stats, CompiledPolicy policy, List<BudgetHeadroom> headroom, Instant now) {
            Map<String, Object> m = new HashMap<>(32);
            m.put("id", i.id());
            m.put("agent", i.agent());
            m.put("action", i.action());
            m.put("counterparty", i.counterparty());
            m.put("market", i.market());
            m.put("amount", i.amount().unitsSaturated());
            m.put("asset", i.amount().asset().symbol());
            m.put("decimals", (long) i.amount().asset().decimals());
            m.put("chain", i.chain());
            m.put("token", i.amount().asset().token());
            m.put("unit_price", i.unitPrice().map(u -> u.price().unitsSaturated()).orElse(0L));
            m.put("unit", i.unitPrice().map(u -> u.unit()).orElse(""));
            m.put("attributes", i.attributes());
            m.put("time", i.time());
            this.intent = Optional.of(m);
            this.counterparty = Optional.of(Map.of(
                    "observations", stats.observations(),
                    "success_rate", stats.successRate(),
                    "verification_failures", stats.verificationFailures(),
                    "reputation", stats.reputation()));
            this.lists = Optional.of(policy.lists());
            this.now = Optional.of(now);
            this.policy = policy;
            this.headroom = headroom;
        }

        @Override
        public Optional<Object> find(String name) {
            return switch (name) {
                case "intent" -> intent;
                case "counterparty" -> counterparty;
                case "lists" -> lists;
                case "now" -> now;
                case "budgets" -> budgets();
                default -> Optional.empty();
            };
        }

        private Optional<Object> budgets() {
            if (budgets == null) {
                Map<String, Object> all = new HashMap<>();
                for (Budget b : policy.budgets()) {
                    long limit = b.limit().unitsSaturated();
                    all.put(b.id(), Map.of("applies", false, "limit", limit, "spent", 0L, "reserved", 0L, "remaining", limit));
                }
                for (BudgetHeadroom h : headroom) {
                    all.put(h.budgetId(), Map.of(
                            "applies", true,
                            "limit", h.limit().unitsSaturated(),
                            "spent", h.spent().unitsSaturated(),
                            "reserved", h.reserved().unitsSaturated(),
                            "remaining", h.remaining().unitsSaturated()));
                }
                budgets = Optional.of(all);
            }
            return budgets;
        }
    }
}
