package dev.forage.policies.bench;

import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.Decimal;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.CounterpartyStats;
import dev.forage.policies.Money;
import dev.forage.policies.SpendIntent;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One synthetic spending policy of N rules, written twice: as a Forage YAML + CEL document
 * and as the equivalent Cedar policy set, plus the intents both are asked about.
 *
 * <p>Shape, as in a real deployment: eight organisation-wide rules (block list, per-spend cap,
 * verification failures, success rate, budget headroom, two approval triggers, one allow for
 * allow-listed compute), and N - 8 rules scoped to one provider, one market or one agent.
 * Cedar has no require_approval effect, so approval rules are {@code forbid} policies
 * annotated {@code @effect("require_approval")}; a Cedar deny whose determining policies are
 * all such annotations counts as require-approval, exactly the precedence Forage applies.
 */
final class BenchPolicies {

    static final Asset USDC = Asset.erc20("USDC", 6, "eip155:8453", "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913");
    static final Assets ASSETS = Assets.of(USDC);
    static final int GENERAL_RULES = 8;
    static final int MARKETS = 20;
    static final CounterpartyStats STATS = new CounterpartyStats(40, 0.97, 0, 82);

    private BenchPolicies() {}

    static int providers(int rules) {
        return Math.max(rules, 16);
    }

    static String blocked(int rules) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            s.append(i == 0 ? "" : ", ").append("evil-").append(i);
        }
        return s.toString();
    }

    static String allowed(int rules) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < providers(rules); i += 2) {
            s.append(i == 0 ? "" : ", ").append("provider-").append(i);
        }
        return s.toString();
    }

    /** The Forage policy document with {@code rules} rules. */
    static String yaml(int rules) {
        StringBuilder y = new StringBuilder("""
        apiVersion: forage.dev/v1
        kind: SpendingPolicy
        metadata: {name: bench}
        spec:
          lists:
            blocked: [%s]
            allowed: [%s]
          budgets:
            - {id: daily, limit: 1000 USDC, window: {calendar: day}}
            - {id: per_provider, limit: 100 USDC, window: {rolling: 24h}, per: counterparty}
          rules:
            - {id: g-blocked, effect: deny, when: "intent.counterparty in lists.blocked"}
            - {id: g-cap, effect: deny, when: "intent.amount > money('50 USDC')"}
            - {id: g-cheats, effect: deny, when: "counterparty.verification_failures > 3"}
            - {id: g-unreliable, effect: deny, when: "counterparty.observations >= 10 && counterparty.success_rate < 0.8"}
            - {id: g-headroom, effect: deny, when: "budgets.daily.remaining < intent.amount"}
            - {id: g-big, effect: require_approval, when: "intent.amount > money('20 USDC')"}
            - {id: g-reputation, effect: require_approval, when: "counterparty.reputation < 30"}
            - {id: g-compute, effect: allow, when: "intent.action == 'compute.lease' && intent.counterparty in lists.allowed && intent.amount <= money('10 USDC')"}
        """.formatted(blocked(rules), allowed(rules)));
        for (int i = 0; i < rules - GENERAL_RULES; i++) {
            switch (i % 3) {
                case 0 -> y.append("    - {id: s-%d, effect: deny, when: \"intent.counterparty == 'provider-%d' && intent.amount > money('%d USDC')\"}\n"
                        .formatted(i, i, 3 + i % 7));
                case 1 -> y.append("    - {id: s-%d, effect: allow, when: \"intent.market == 'market-%d' && intent.action == 'inference.run' && intent.attributes.model == 'model-%d'\"}\n"
                        .formatted(i, i % MARKETS, i));
                default -> y.append("    - {id: s-%d, effect: require_approval, when: \"intent.agent == 'agent-%d' && intent.amount > money('%d USDC')\"}\n"
                        .formatted(i, i, 1 + i % 5));
            }
        }
        return y.toString();
    }

    /** The equivalent Cedar policy set. */
    static PolicySet cedar(int rules) {
        Set<Policy> policies = new HashSet<>();
        String blocked = quoted(blocked(rules));
        String allowed = quoted(allowed(rules));
        policies.add(new Policy("forbid(principal, action, resource) when { [" + blocked + "].contains(context.counterparty) };", "g-blocked"));
        policies.add(new Policy("forbid(principal, action, resource) when { context.amount > 50000000 };", "g-cap"));
        policies.add(new Policy("forbid(principal, action, resource) when { context.cp_failures > 3 };", "g-cheats"));
        policies.add(new Policy("forbid(principal, action, resource) when { context.cp_observations >= 10 && context.cp_success_rate.lessThan(decimal(\"0.8\")) };", "g-unreliable"));
        policies.add(new Policy("forbid(principal, action, resource) when { context.daily_remaining < context.amount };", "g-headroom"));
        policies.add(new Policy("@effect(\"require_approval\") forbid(principal, action, resource) when { context.amount > 20000000 };", "g-big"));
        policies.add(new Policy("@effect(\"require_approval\") forbid(principal, action, resource) when { context.cp_reputation < 30 };", "g-reputation"));
        policies.add(new Policy("permit(principal, action == Action::\"compute.lease\", resource) when { [" + allowed + "].contains(context.counterparty) && context.amount <= 10000000 };", "g-compute"));
        for (int i = 0; i < rules - GENERAL_RULES; i++) {
            switch (i % 3) {
                case 0 -> policies.add(new Policy("forbid(principal, action, resource == Provider::\"provider-%d\") when { context.amount > %d };"
                        .formatted(i, (3 + i % 7) * 1_000_000L), "s-" + i));
                case 1 -> policies.add(new Policy("permit(principal, action == Action::\"inference.run\", resource) when { context.market == \"market-%d\" && context.model == \"model-%d\" };"
                        .formatted(i % MARKETS, i), "s-" + i));
                default -> policies.add(new Policy("@effect(\"require_approval\") forbid(principal == Agent::\"agent-%d\", action, resource) when { context.amount > %d };"
                        .formatted(i, (1 + i % 5) * 1_000_000L), "s-" + i));
            }
        }
        return new PolicySet(policies);
    }

    /** Ids of the Cedar policies that stand for require_approval rules. */
    static Set<String> cedarApprovalIds(int rules) {
        Set<String> ids = new HashSet<>(Set.of("g-big", "g-reputation"));
        for (int i = 0; i < rules - GENERAL_RULES; i++) {
            if (i % 3 == 2) {
                ids.add("s-" + i);
            }
        }
        return ids;
    }

    private static String quoted(String csv) {
        StringBuilder s = new StringBuilder();
        for (String v : csv.split(", ")) {
            s.append(s.isEmpty() ? "" : ", ").append('"').append(v).append('"');
        }
        return s.toString();
    }

    /**
     * Eight intents that take different paths: allowed compute, allowed inference, a
     * provider-specific deny, a blocked counterparty, an agent-specific approval, a default
     * deny, a big-spend approval, a per-spend-cap deny.
     */
    static List<SpendIntent> intents(int rules) {
        int p = providers(rules);
        return List.of(
                intent("compute.lease", "provider-2", "akash", "agent-x", "2.50", "none"),
                intent("inference.run", "provider-3", "market-1", "agent-x", "0.40", "model-1"),
                intent("compute.lease", "provider-0", "akash", "agent-x", "4.00", "none"),
                intent("compute.lease", "evil-3", "akash", "agent-x", "1.00", "none"),
                intent("inference.run", "provider-5", "market-1", "agent-2", "4.00", "model-1"),
                intent("payment.x402", "provider-" + (p - 1), "x402", "agent-x", "0.05", "none"),
                intent("compute.lease", "provider-4", "akash", "agent-x", "25.00", "none"),
                intent("compute.lease", "provider-6", "akash", "agent-x", "60.00", "none"));
    }

    private static SpendIntent intent(String action, String counterparty, String market, String agent, String amount,
            String model) {
        return SpendIntent.builder()
                .id("bench-" + action + "-" + counterparty + "-" + amount)
                .agent(agent)
                .action(action)
                .counterparty(counterparty)
                .market(market)
                .amount(Money.of(USDC, amount))
                .attribute("model", model)
                .attribute("gpu", "A100")
                .time(Instant.parse("2026-03-02T10:00:00Z"))
                .build();
    }

    private static final EntityTypeName AGENT = EntityTypeName.parse("Agent").orElseThrow();
    private static final EntityTypeName ACTION = EntityTypeName.parse("Action").orElseThrow();
    private static final EntityTypeName PROVIDER = EntityTypeName.parse("Provider").orElseThrow();

    /** The Cedar request for an intent, with the same facts the CEL rules read. */
    static AuthorizationRequest cedarRequest(SpendIntent intent, CounterpartyStats stats, long dailyRemaining) {
        EntityUID principal = AGENT.of(intent.agent());
        EntityUID action = ACTION.of(intent.action());
        EntityUID resource = PROVIDER.of(intent.counterparty());
        Map<String, Value> context = new HashMap<>();
        context.put("amount", new PrimLong(intent.amount().unitsSaturated()));
        context.put("counterparty", new PrimString(intent.counterparty()));
        context.put("market", new PrimString(intent.market()));
        context.put("model", new PrimString(intent.attributes().get("model")));
        context.put("cp_observations", new PrimLong(stats.observations()));
        context.put("cp_failures", new PrimLong(stats.verificationFailures()));
        context.put("cp_success_rate", new Decimal(String.format(java.util.Locale.ROOT, "%.4f", stats.successRate())));
        context.put("cp_reputation", new PrimLong((long) stats.reputation()));
        context.put("daily_remaining", new PrimLong(dailyRemaining));
        return new AuthorizationRequest(principal, action, resource, context);
    }
}
