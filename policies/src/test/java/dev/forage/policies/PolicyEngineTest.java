package dev.forage.policies;

import static dev.forage.policies.testing.Fixtures.ASSETS;
import static dev.forage.policies.testing.Fixtures.intent;
import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.approval.ApprovalStatus;
import dev.forage.policies.approval.Approvals;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.BudgetLine;
import dev.forage.policies.ledger.ReserveResult;
import dev.forage.policies.testing.Fixtures;
import dev.forage.policies.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {

    private final MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
    private final BudgetLedger ledger = BudgetLedger.inMemory(clock);
    private final Approvals approvals = Approvals.inMemory(clock, Duration.ofMinutes(15));

    private PolicyEngine engine(String... yamls) {
        PolicyEngine.Builder b = PolicyEngine.builder(ledger).clock(clock).assets(ASSETS).approvals(approvals);
        for (int i = 0; i < yamls.length; i++) {
            b.source(PolicySource.of("policy-" + i + ".yaml", yamls[i]));
        }
        return b.build();
    }

    private static String doc(String name, String spec) {
        return """
        apiVersion: forage.dev/v1
        kind: SpendingPolicy
        metadata:
          name: %s
        spec:
        %s
        """.formatted(name, spec.indent(2));
    }

    private static String rules(String name, String... rules) {
        StringBuilder spec = new StringBuilder("rules:\n");
        for (String r : rules) {
            spec.append(r.indent(4).replaceFirst("^    ", "  - "));
        }
        return doc(name, spec.toString());
    }

    @Test
    void with_no_matching_allow_rule_the_default_is_deny() {
        PolicyEngine engine = engine(rules("p", """
        id: allow-inference
        effect: allow
        when: intent.action == 'inference.run'
        """));

        Decision d = engine.decide(intent("i1").build());

        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.ruleIds()).isEmpty();
        assertThat(d.reasons().get(0)).contains("no allow rule matched compute.lease of 2.50 USDC to provider-a");
    }

    @Test
    void an_empty_policy_denies_everything() {
        PolicyEngine engine = engine(doc("empty", "{}"));

        assertThat(engine.decide(intent("i1").build())).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void a_matching_allow_rule_allows_with_its_id_and_reason() {
        PolicyEngine engine = engine(rules("p", """
        id: allow-compute
        effect: allow
        when: intent.action == 'compute.lease'
        reason: compute leases are allowed
        """));

        Decision d = engine.decide(intent("i1").build());

        assertThat(d).isInstanceOf(Decision.Allow.class);
        assertThat(d.ruleIds()).containsExactly("allow-compute");
        assertThat(d.reasons()).containsExactly("compute leases are allowed");
        assertThat(d.allowed()).isTrue();
    }

    @Test
    void any_deny_wins_over_allow_and_lists_every_matching_deny() {
        PolicyEngine engine = engine(rules("p",
                """
        id: allow-all
        effect: allow
        when: "true"
        """,
                """
        id: cap-per-tx
        effect: deny
        when: intent.amount > money('2 USDC')
        reason: more than 2 USDC in one go
        """,
                """
        id: no-a100
        effect: deny
        when: intent.attributes.gpu == 'A100'
        """,
                """
        id: never
        effect: deny
        when: intent.amount > money('100 USDC')
        """));

        Decision d = engine.decide(intent("i1").build());

        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.ruleIds()).containsExactly("cap-per-tx", "no-a100");
        assertThat(d.reasons()).containsExactly(
                "more than 2 USDC in one go", "rule no-a100 (deny) matched: intent.attributes.gpu == 'A100'");
    }

    @Test
    void require_approval_wins_over_allow_and_binds_a_request_to_the_intent_digest() {
        PolicyEngine engine = engine(rules("p",
                """
        id: allow-all
        effect: allow
        when: "true"
        """,
                """
        id: big-spend
        effect: require_approval
        when: intent.amount >= money('2.50 USDC')
        reason: big spends need a human
        """));
        SpendIntent intent = intent("i1").build();

        Decision d = engine.decide(intent);

        assertThat(d).isInstanceOf(Decision.RequireApproval.class);
        Decision.RequireApproval r = (Decision.RequireApproval) d;
        assertThat(r.ruleIds()).containsExactly("big-spend");
        assertThat(r.request().intentDigest()).isEqualTo(intent.digest());
        assertThat(r.request().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
        assertThat(approvals.pending()).extracting(a -> a.id()).containsExactly(r.request().id());
    }

    @Test
    void an_approval_ttl_beside_an_inbox_is_refused_instead_of_ignored() {
        assertThatThrownBy(() -> PolicyEngine.builder(ledger).approvals(approvals).approvalTtl(Duration.ofHours(2)).build())
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("approvalTtl PT2H was set together with an approval inbox");
    }

    @Test
    void the_default_inbox_takes_the_approval_ttl() {
        PolicyEngine engine = PolicyEngine.builder(ledger).clock(clock).assets(ASSETS).approvalTtl(Duration.ofHours(2))
                .source(PolicySource.of("p.yaml", rules("p", """
        id: big-spend
        effect: require_approval
        when: "true"
        """))).build();

        Decision d = engine.decide(intent("i-ttl").build());

        assertThat(((Decision.RequireApproval) d).request().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
    }

    @Test
    void deny_wins_over_require_approval() {
        PolicyEngine engine = engine(rules("p",
                """
        id: big-spend
        effect: require_approval
        when: "true"
        """,
                """
        id: blocked
        effect: deny
        when: intent.counterparty == 'provider-a'
        """));

        Decision d = engine.decide(intent("i1").build());

        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.ruleIds()).containsExactly("blocked");
        assertThat(approvals.pending()).isEmpty();
    }

    @Test
    void an_approved_request_allows_that_intent_and_no_other() {
        PolicyEngine engine = engine(rules("p", """
        id: big-spend
        effect: require_approval
        when: "true"
        """));
        SpendIntent intent = intent("i1").build();
        Decision.RequireApproval first = (Decision.RequireApproval) engine.decide(intent);

        approvals.approve(first.request().id(), "alice", "known provider");
        Decision again = engine.decide(intent);
        Decision other = engine.decide(intent("i1").amount(usdc("2.51")).build());

        assertThat(again).isInstanceOf(Decision.Allow.class);
        assertThat(again.ruleIds()).containsExactly("big-spend");
        assertThat(again.reasons()).last().asString().startsWith("approved by alice").endsWith("known provider");
        assertThat(other).isInstanceOf(Decision.RequireApproval.class);
        assertThat(((Decision.RequireApproval) other).request().id()).isNotEqualTo(first.request().id());
        assertThat(approvals.statusFor(first.request().id(), intent("i1").amount(usdc("2.51")).build()))
                .isInstanceOf(ApprovalStatus.Denied.class);
    }

    @Test
    void a_denied_or_expired_request_denies_the_intent() {
        PolicyEngine engine = engine(rules("p", """
        id: big-spend
        effect: require_approval
        when: "true"
        """));
        SpendIntent denied = intent("i1").build();
        SpendIntent expired = intent("i2").build();
        Decision.RequireApproval d1 = (Decision.RequireApproval) engine.decide(denied);
        engine.decide(expired);

        approvals.deny(d1.request().id(), "bob", "not this provider");
        clock.advance(Duration.ofMinutes(15));

        assertThat(engine.decide(denied)).isInstanceOf(Decision.Deny.class)
                .extracting(Decision::reasons, InstanceOfAssertFactories.list(String.class))
                .last().asString().contains("denied by bob");
        assertThat(engine.decide(expired)).isInstanceOf(Decision.Deny.class)
                .extracting(Decision::reasons, InstanceOfAssertFactories.list(String.class))
                .last().asString().contains("expired").contains("counts as denied");
    }

    @Test
    void an_org_document_composes_over_an_agent_document_with_the_same_precedence() {
        String org = rules("org",
                """
        id: org-blocklist
        effect: deny
        when: intent.counterparty in lists.blocked
        """,
                """
        id: org-approval-over-5
        effect: require_approval
        when: intent.amount > money('5 USDC')
        """) + "  lists:\n    blocked: [provider-evil]\n";
        String agent = doc("agent-1-policy", """
        agents: [agent-1]
        rules:
          - id: agent-allows-compute
            effect: allow
            when: intent.action == 'compute.lease'
        """);
        PolicyEngine engine = engine(org, agent);

        assertThat(engine.decide(intent("ok").build())).isInstanceOf(Decision.Allow.class);
        assertThat(engine.decide(intent("evil").counterparty("provider-evil").build()))
                .isInstanceOf(Decision.Deny.class)
                .extracting(Decision::ruleIds, InstanceOfAssertFactories.list(String.class))
                .containsExactly("org-blocklist");
        assertThat(engine.decide(intent("big").amount(usdc("6")).build()))
                .isInstanceOf(Decision.RequireApproval.class);
        // The agent document is scoped to agent-1: another agent has no allow rule.
        assertThat(engine.decide(intent("other").agent("agent-2").build())).isInstanceOf(Decision.Deny.class);
        assertThat(engine.current().documents()).isEqualTo(2);
        assertThat(engine.current().rules()).isEqualTo(3);
    }

    @Test
    void a_budget_with_too_little_room_denies_and_every_budget_reports_headroom() {
        PolicyEngine engine = engine(doc("p", """
        budgets:
          - id: daily
            limit: 10 USDC
            window: {calendar: day, zone: Europe/Berlin}
          - id: per_provider
            limit: 3 USDC
            window: {rolling: 24h}
            per: counterparty
        rules:
          - id: allow-all
            effect: allow
            when: "true"
        """));
        SpendIntent first = intent("i1").build();
        assertThat(ledger.reserve(engine.reserveRequest(first, Duration.ofMinutes(5))))
                .isInstanceOf(ReserveResult.Reserved.class);

        Decision d = engine.decide(intent("i2").build());
        Decision otherProvider = engine.decide(intent("i3").counterparty("provider-b").build());

        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.ruleIds()).containsExactly("budget:per_provider");
        assertThat(d.reasons().get(0)).contains("per_provider[provider-a] has 0.50 USDC left of 3.00 USDC");
        assertThat(d.headroom()).extracting(BudgetHeadroom::budgetId, BudgetHeadroom::remaining)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("daily", usdc("7.50")),
                        org.assertj.core.groups.Tuple.tuple("per_provider", usdc("0.50")));
        assertThat(otherProvider).isInstanceOf(Decision.Allow.class);
        // Deciding again on the intent that already holds its reservation does not count it twice.
        assertThat(engine.decide(first)).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void rules_read_budget_usage_in_base_units() {
        PolicyEngine engine = engine(doc("p", """
        budgets:
          - id: daily
            limit: 10 USDC
            window: {calendar: day}
          - id: eth_only
            limit: 1 ETH
        rules:
          - id: allow-while-half-left
            effect: allow
            when: budgets.daily.remaining - intent.amount >= budgets.daily.limit / 2 && !budgets.eth_only.applies
        """));
        ledger.reserve(engine.reserveRequest(intent("r1").amount(usdc("2")).build(), Duration.ofMinutes(5)));

        assertThat(engine.decide(intent("i1").amount(usdc("3")).build())).isInstanceOf(Decision.Allow.class);
        assertThat(engine.decide(intent("i2").amount(usdc("3.01")).build())).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void rules_read_counterparty_statistics_supplied_by_the_caller() {
        PolicyEngine engine = engine(rules("p",
                """
        id: allow-all
        effect: allow
        when: "true"
        """,
                """
        id: unreliable
        effect: deny
        when: counterparty.observations >= 10 && counterparty.success_rate < 0.9
        """,
                """
        id: cheats
        effect: deny
        when: counterparty.verification_failures > 2
        """,
                """
        id: first-time-or-low-reputation
        effect: require_approval
        when: counterparty.observations == 0 || counterparty.reputation < 50
        """));
        SpendIntent i = intent("i1").build();

        assertThat(engine.decide(i, Context.of(new CounterpartyStats(20, 0.95, 0, 80)))).isInstanceOf(Decision.Allow.class);
        assertThat(engine.decide(i, Context.of(new CounterpartyStats(20, 0.85, 0, 80))).ruleIds())
                .containsExactly("unreliable");
        assertThat(engine.decide(i, Context.of(new CounterpartyStats(5, 1.0, 3, 80))).ruleIds()).containsExactly("cheats");
        assertThat(engine.decide(i, Context.empty())).isInstanceOf(Decision.RequireApproval.class);
        assertThat(engine.decide(intent("i2").build(), Context.of(new CounterpartyStats(20, 1.0, 0, 49.5))))
                .isInstanceOf(Decision.RequireApproval.class);
    }

    @Test
    void rules_read_the_time_from_the_engine_clock_and_the_intent() {
        PolicyEngine engine = engine(rules("p",
                """
        id: office-hours
        effect: allow
        when: now.getHours('Europe/Berlin') >= 9 && now.getHours('Europe/Berlin') < 18
        """,
                """
        id: stale-intent
        effect: deny
        when: now - intent.time > duration('5m')
        """));
        SpendIntent i = intent("i1").build();

        assertThat(engine.decide(i)).isInstanceOf(Decision.Allow.class); // 11:00 in Berlin
        clock.advance(Duration.ofMinutes(6));
        assertThat(engine.decide(i).ruleIds()).containsExactly("stale-intent");
        clock.set(java.time.Instant.parse("2026-03-02T17:00:00Z"));
        assertThat(engine.decide(intent("i2").time(clock.instant()).build())).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void rules_read_every_intent_field() {
        PolicyEngine engine = engine(rules("p", """
        id: everything
        effect: allow
        when: >-
          intent.id == 'i1' && intent.agent == 'agent-1' && intent.action == 'compute.lease'
          && intent.counterparty == 'provider-a' && intent.market == 'akash'
          && intent.amount == 2500000 && intent.asset == 'USDC' && intent.decimals == 6
          && intent.chain == 'eip155:8453' && intent.token.startsWith('0x833589')
          && intent.unit_price == money('1.25 USDC') && intent.unit == 'gpu-hour'
          && intent.attributes.region == 'eu' && has(intent.attributes.gpu) && !has(intent.attributes.model)
          && intent.time == timestamp('2026-03-02T10:00:00Z')
        """));

        assertThat(engine.decide(intent("i1").build())).isInstanceOf(Decision.Allow.class);
        assertThat(engine.decide(intent("i2").build())).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void a_rule_that_fails_to_evaluate_fails_closed() {
        PolicyEngine engine = engine(rules("p",
                """
        id: allow-by-model
        effect: allow
        when: intent.attributes.model == 'llama'
        """,
                """
        id: allow-cheap
        effect: allow
        when: intent.amount < money('1 USDC')
        """));
        PolicyEngine denyEngine = engine(rules("q",
                """
        id: allow-all
        effect: allow
        when: "true"
        """,
                """
        id: deny-by-model
        effect: deny
        when: intent.attributes.model == 'bad'
        """));

        Decision d = engine.decide(intent("i1").build());
        Decision e = denyEngine.decide(intent("i1").build());

        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.reasons()).anySatisfy(r -> assertThat(r).contains("allow-by-model").contains("counts as not matched"));
        assertThat(e).isInstanceOf(Decision.Deny.class);
        assertThat(e.ruleIds()).containsExactly("deny-by-model");
        assertThat(e.reasons()).anySatisfy(r -> assertThat(r).contains("counts as matched (fail closed)"));
    }

    @Test
    void budgets_follow_scope_split_and_asset() {
        PolicyEngine engine = engine(doc("p", """
        budgets:
          - id: total
            limit: 100 USDC
          - id: compute_daily
            limit: 20 USDC
            window: {calendar: day}
            per: counterparty
            scope:
              actions: [compute.*]
              markets: [akash, ionet]
          - id: by_action
            limit: 50 USDC
            per: action
            scope: {agents: [agent-1], counterparties: ["provider-*", provider-a]}
          - id: by_market
            limit: 30 USDC
            window: {rolling: 1h}
            per: market
            scope: {counterparties: [provider-z]}
          - id: eth
            limit: 1 ETH
        """));

        List<BudgetLine> lines = engine.budgetsFor(intent("i1").build());
        List<BudgetLine> inference = engine.budgetsFor(intent("i2").action("inference.run").agent("agent-2").build());

        assertThat(lines).extracting(BudgetLine::ref).containsExactly("total", "compute_daily[provider-a]", "by_action[compute.lease]");
        assertThat(inference).extracting(BudgetLine::ref).containsExactly("total");
        assertThat(engine.budgetsFor(intent("i3").counterparty("provider-z").build())).extracting(BudgetLine::ref)
                .containsExactly("total", "compute_daily[provider-z]", "by_market[akash]");
    }

    @Test
    void a_failed_reload_keeps_the_previous_policy() {
        PolicyEngine engine = engine(rules("p", """
        id: allow-all
        effect: allow
        when: "true"
        """));
        PolicyInfo before = engine.current();

        assertThatThrownBy(() -> engine.reload(List.of(PolicySource.of("bad.yaml", rules("p", """
        id: broken
        effect: deny
        when: intent.amout > 1
        """))))).isInstanceOf(PolicyLoadException.class).hasMessageContaining("bad.yaml:");

        assertThat(engine.current()).isEqualTo(before);
        assertThat(engine.decide(intent("i1").build())).isInstanceOf(Decision.Allow.class);

        PolicyInfo after = engine.reload(List.of(PolicySource.of("next.yaml", rules("p", """
        id: deny-all
        effect: deny
        when: "true"
        """))));
        assertThat(after.digest()).isNotEqualTo(before.digest());
        assertThat(engine.decide(intent("i1").build())).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void documents_may_declare_their_own_assets() {
        PolicyEngine engine = PolicyEngine.builder(ledger).clock(clock).source(PolicySource.of("p.yaml", doc("p", """
        assets:
          - {symbol: USDC, decimals: 6, chain: "eip155:8453", token: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"}
        budgets:
          - id: total
            limit: 1.5 USDC
        """))).build();

        assertThat(engine.budgetsFor(intent("i1").build())).singleElement()
                .satisfies(l -> assertThat(l.limit()).isEqualTo(Money.of(Fixtures.USDC, "1.5")));
    }
}
