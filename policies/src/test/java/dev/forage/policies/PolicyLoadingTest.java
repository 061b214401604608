package dev.forage.policies;

import static dev.forage.policies.testing.Fixtures.ASSETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.BudgetLine;
import dev.forage.policies.ledger.BudgetWindow;
import dev.forage.policies.testing.Fixtures;
import dev.forage.policies.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every field of a policy document, and every way loading one can fail. */
class PolicyLoadingTest {

    private final MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
    private final BudgetLedger ledger = BudgetLedger.inMemory(clock);

    private PolicyEngine load(String yaml) {
        return PolicyEngine.builder(ledger).clock(clock).assets(ASSETS).source(PolicySource.of("p.yaml", yaml)).build();
    }

    private List<PolicyProblem> problems(String yaml) {
        try {
            load(yaml);
        } catch (PolicyLoadException e) {
            return e.problems();
        }
        throw new AssertionError("expected the policy to be rejected");
    }

    private static final String HEADER = """
      apiVersion: forage.dev/v1
      kind: SpendingPolicy
      metadata:
        name: p
      """;

    @Test
    void a_full_document_loads_every_field() {
        PolicyEngine engine = load("""
        apiVersion: forage.dev/v1
        kind: SpendingPolicy
        metadata:
          name: acme-agents
          description: what acme's agents may spend
          labels: {team: research}
        spec:
          agents: [agent-1]
          assets:
            - symbol: WETH
              decimals: 18
              chain: "eip155:8453"
              token: "0x4200000000000000000000000000000000000006"
          lists:
            allowed_providers: [provider-a, provider-b]
          budgets:
            - id: daily
              description: all spend per Berlin day
              limit: 100 USDC
              window: {calendar: day, zone: Europe/Berlin}
            - id: per_provider_24h
              limit: 20 USDC
              window: {rolling: 24h}
              per: counterparty
              scope:
                agents: [agent-1]
                actions: ["compute.*"]
                counterparties: ["*"]
                markets: [akash]
            - id: weth_total
              limit: 0.5 WETH
          rules:
            - id: allowed-providers
              description: only known providers
              effect: allow
              when: intent.counterparty in lists.allowed_providers
              reason: provider is on the allow list
        """);

        PolicyInfo info = engine.current();
        List<BudgetLine> lines = engine.budgetsFor(Fixtures.intent("i1").build());

        assertThat(info.sources()).containsExactly("p.yaml");
        assertThat(info.documents()).isEqualTo(1);
        assertThat(info.rules()).isEqualTo(1);
        assertThat(info.budgets()).isEqualTo(3);
        assertThat(info.loadedAt()).isEqualTo(clock.instant());
        assertThat(lines).containsExactly(
                BudgetLine.of("daily", Fixtures.usdc("100"), new BudgetWindow.Calendar(BudgetWindow.Period.DAY, ZoneId.of("Europe/Berlin"))),
                new BudgetLine("per_provider_24h", "provider-a", Fixtures.usdc("20"), new BudgetWindow.Rolling(Duration.ofHours(24))));
        assertThat(engine.decide(Fixtures.intent("i1").build()).reasons()).containsExactly("provider is on the allow list");
    }

    @Test
    void windows_accept_short_and_iso_durations_and_every_calendar_period() {
        PolicyEngine engine = load(HEADER + """
        spec:
          budgets:
            - {id: a, limit: 1 USDC, window: {rolling: 90s}}
            - {id: b, limit: 1 USDC, window: {rolling: 30m}}
            - {id: c, limit: 1 USDC, window: {rolling: 7d}}
            - {id: d, limit: 1 USDC, window: {rolling: 1w}}
            - {id: e, limit: 1 USDC, window: {rolling: PT36H}}
            - {id: f, limit: 1 USDC, window: {calendar: hour}}
            - {id: g, limit: 1 USDC, window: {calendar: week, zone: America/New_York}}
            - {id: h, limit: 1 USDC, window: {calendar: month}}
            - {id: i, limit: 1 USDC}
        """);

        assertThat(engine.budgetsFor(Fixtures.intent("x").build())).extracting(BudgetLine::window).containsExactly(
                new BudgetWindow.Rolling(Duration.ofSeconds(90)),
                new BudgetWindow.Rolling(Duration.ofMinutes(30)),
                new BudgetWindow.Rolling(Duration.ofDays(7)),
                new BudgetWindow.Rolling(Duration.ofDays(7)),
                new BudgetWindow.Rolling(Duration.ofHours(36)),
                new BudgetWindow.Calendar(BudgetWindow.Period.HOUR, ZoneId.of("UTC")),
                new BudgetWindow.Calendar(BudgetWindow.Period.WEEK, ZoneId.of("America/New_York")),
                new BudgetWindow.Calendar(BudgetWindow.Period.MONTH, ZoneId.of("UTC")),
                new BudgetWindow.Lifetime());
    }

    @Test
    void yaml_syntax_errors_name_the_file_and_line() {
        List<PolicyProblem> p = problems(HEADER + "spec:\n  rules: [\n    - id: x\n");

        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo("p.yaml");
            assertThat(problem.line()).isGreaterThanOrEqualTo(6);
            assertThat(problem.message()).startsWith("YAML syntax error");
        });
    }

    @Test
    void unknown_keys_are_errors_at_their_line() {
        List<PolicyProblem> p = problems(HEADER + """
        spec:
          budgets:
            - id: daily
              limit: 10 USDC
              windw: {rolling: 24h}
          rules:
            - id: r1
              effect: allow
              when: "true"
              reasn: typo
          extra: 1
        """);

        assertThat(p).extracting(PolicyProblem::toString).containsExactly(
                "p.yaml:9:7: [daily] unknown key 'windw' in a budget: allowed keys are [description, id, limit, per, scope, window]",
                "p.yaml:14:7: [r1] unknown key 'reasn' in a rule: allowed keys are [description, effect, id, reason, when]",
                "p.yaml:15:3: unknown key 'extra' in 'spec': allowed keys are [agents, assets, budgets, lists, rules]");
    }

    @Test
    void header_fields_are_checked() {
        List<PolicyProblem> p = problems("""
        apiVersion: forage.dev/v2
        kind: DeploymentPolicy
        metadata:
          name: Not A Name
        spec: {}
        """);

        assertThat(p).extracting(PolicyProblem::line, PolicyProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "apiVersion 'forage.dev/v2' is not supported: use forage.dev/v1"),
                org.assertj.core.groups.Tuple.tuple(2, "kind 'DeploymentPolicy' is not a spending policy: use SpendingPolicy"),
                org.assertj.core.groups.Tuple.tuple(4,
                        "metadata.name 'Not A Name' must be lower-case letters, digits, '-' or '.', like a Kubernetes name"));
        assertThat(problems("kind: SpendingPolicy\n")).extracting(PolicyProblem::message)
                .contains("missing required key 'apiVersion'", "missing required key 'metadata'", "missing required key 'spec'");
        assertThat(problems("- a\n- b\n")).extracting(PolicyProblem::message).singleElement().asString()
                .contains("must be a mapping");
    }

    @Test
    void budget_fields_are_checked() {
        List<PolicyProblem> p = problems(HEADER + """
        spec:
          budgets:
            - id: too-precise
              limit: 1.0000001 USDC
            - id: unknown_asset
              limit: 5 DOGE
            - id: negative
              limit: -5 USDC
            - id: both
              limit: 1 USDC
              window: {rolling: 1h, calendar: day}
            - id: bad_rolling
              limit: 1 USDC
              window: {rolling: soon}
            - id: bad_calendar
              limit: 1 USDC
              window: {calendar: fortnight}
            - id: bad_zone
              limit: 1 USDC
              window: {calendar: day, zone: Mars/Olympus}
            - id: bad_per
              limit: 1 USDC
              per: agent
            - limit: 1 USDC
        """);

        assertThat(p).extracting(PolicyProblem::ruleId, PolicyProblem::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("too-precise", 7),
                org.assertj.core.groups.Tuple.tuple("too-precise", 8),
                org.assertj.core.groups.Tuple.tuple("unknown_asset", 10),
                org.assertj.core.groups.Tuple.tuple("negative", 12),
                org.assertj.core.groups.Tuple.tuple("both", 15),
                org.assertj.core.groups.Tuple.tuple("bad_rolling", 18),
                org.assertj.core.groups.Tuple.tuple("bad_calendar", 21),
                org.assertj.core.groups.Tuple.tuple("bad_zone", 24),
                org.assertj.core.groups.Tuple.tuple("bad_per", 27),
                org.assertj.core.groups.Tuple.tuple("", 28));
        assertThat(p.get(0).message()).contains("budget id must be an identifier");
        assertThat(p.get(1).message()).contains("has 7 decimals but USDC has only 6");
        assertThat(p.get(2).message()).contains("unknown asset symbol 'DOGE'");
        assertThat(p.get(3).message()).contains("negative");
        assertThat(p.get(4).message()).contains("exactly one of rolling");
        assertThat(p.get(5).message()).contains("rolling 'soon' is not a positive duration");
        assertThat(p.get(6).message()).contains("calendar 'fortnight'");
        assertThat(p.get(7).message()).contains("zone 'Mars/Olympus'");
        assertThat(p.get(8).message()).contains("per 'agent' is not counterparty, action or market");
        assertThat(p.get(9).message()).isEqualTo("missing required key 'id'");
    }

    @Test
    void rule_fields_are_checked() {
        List<PolicyProblem> p = problems(HEADER + """
        spec:
          rules:
            - id: no-effect
              when: "true"
            - id: bad-effect
              effect: permit
              when: "true"
            - id: no-when
              effect: allow
            - id: "bad id!"
              effect: allow
              when: "true"
        """);

        assertThat(p).extracting(PolicyProblem::toString).containsExactly(
                "p.yaml:7:7: [no-effect] missing required key 'effect'",
                "p.yaml:10:15: [bad-effect] effect 'permit' is not allow, deny or require_approval",
                "p.yaml:12:7: [no-when] missing required key 'when'",
                "p.yaml:14:11: [bad id!] rule id must be letters, digits, '_', '.' or '-', at most 64");
    }

    @Test
    void cel_syntax_and_type_errors_name_the_file_line_and_rule() {
        List<PolicyProblem> p = problems(HEADER + """
        spec:
          budgets:
            - {id: daily, limit: 10 USDC}
          lists:
            known: [a]
          rules:
            - id: syntax
              effect: deny
              when: intent.amount >
            - id: typo
              effect: deny
              when: intent.amout > 5
            - id: wrong-type
              effect: deny
              when: "intent.amount > 'five'"
            - id: not-bool
              effect: deny
              when: intent.amount
            - id: unknown-budget
              effect: deny
              when: |
                intent.amount > 0 &&
                  budgets.dialy.remaining < 5
            - id: unknown-list
              effect: deny
              when: intent.counterparty in lists.unknown
            - id: unknown-variable
              effect: deny
              when: wallet.balance < 5
        """);

        assertThat(p).extracting(PolicyProblem::ruleId, PolicyProblem::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("syntax", 13),
                org.assertj.core.groups.Tuple.tuple("typo", 16),
                org.assertj.core.groups.Tuple.tuple("wrong-type", 19),
                org.assertj.core.groups.Tuple.tuple("not-bool", 22),
                org.assertj.core.groups.Tuple.tuple("unknown-budget", 27),
                org.assertj.core.groups.Tuple.tuple("unknown-list", 30),
                org.assertj.core.groups.Tuple.tuple("unknown-variable", 33));
        assertThat(p.get(0).message()).startsWith("CEL syntax error").contains("at 1:16 of `when`");
        assertThat(p.get(1).toString()).isEqualTo("p.yaml:16:19: [typo] CEL error: undefined field 'amout' (at 1:7 of `when`)");
        assertThat(p.get(2).message()).contains("no matching overload for '_>_' applied to '(int, string)'");
        assertThat(p.get(3).message()).contains("expected type 'bool' but found 'int'");
        assertThat(p.get(4).message()).contains("undefined field 'dialy'").contains("at 2:10 of `when`");
        assertThat(p.get(5).message()).contains("undefined field 'unknown'");
        assertThat(p.get(6).message()).contains("undeclared reference to 'wallet'");
    }

    @Test
    void money_literals_are_resolved_at_load() {
        List<PolicyProblem> p = problems(HEADER + """
        spec:
          rules:
            - id: unknown-asset
              effect: deny
              when: intent.amount > money('5 DOGE')
            - id: not-literal
              effect: deny
              when: intent.amount > money(intent.unit)
            - id: too-big
              effect: deny
              when: intent.amount > money('100 ETH')
        """);

        assertThat(p).extracting(PolicyProblem::ruleId).containsExactly("unknown-asset", "not-literal", "too-big");
        assertThat(p.get(0).message()).contains("money('5 DOGE'): unknown asset symbol 'DOGE'");
        assertThat(p.get(1).message()).contains("money() takes a literal");
        assertThat(p.get(2).message()).contains("does not fit CEL's 64-bit int");
    }

    @Test
    void names_must_be_unique_across_composed_documents() {
        String a = HEADER + """
        spec:
          lists: {known: [a]}
          budgets: [{id: daily, limit: 1 USDC}]
          rules: [{id: r1, effect: allow, when: "true"}]
        """;
        String b = a;

        PolicyLoadException e = org.assertj.core.api.Assertions.catchThrowableOfType(PolicyLoadException.class,
                () -> PolicyEngine.builder(ledger).assets(ASSETS)
                        .source(PolicySource.of("org.yaml", a)).source(PolicySource.of("agent.yaml", b)).build());

        assertThat(e.problems()).extracting(PolicyProblem::source).containsOnly("agent.yaml");
        assertThat(e.problems()).extracting(PolicyProblem::message).containsExactly(
                "metadata.name 'p' is also used at org.yaml:1: give each document its own name",
                "list 'known' is also defined at org.yaml:6: list names are global across composed documents",
                "budget id is also used at org.yaml:7: budget ids are global across composed documents",
                "rule id is also used at org.yaml:8: rule ids are global across composed documents");
    }

    @Test
    void one_source_may_hold_several_documents() {
        PolicyEngine engine = load(HEADER + """
        spec:
          rules: [{id: r1, effect: allow, when: "true"}]
        ---
        apiVersion: forage.dev/v1
        kind: SpendingPolicy
        metadata: {name: q}
        spec:
          rules: [{id: r2, effect: deny, when: "intent.amount > 100"}]
        """);

        assertThat(engine.current().documents()).isEqualTo(2);
        assertThat(engine.decide(Fixtures.intent("i1").build()).ruleIds()).containsExactly("r2");
    }

    @Test
    void duplicate_keys_and_empty_sources_are_errors() {
        assertThat(problems(HEADER + "spec: {}\nspec: {}\n")).extracting(PolicyProblem::message).singleElement()
                .asString().contains("key 'spec' appears twice");
        assertThat(problems("")).extracting(PolicyProblem::message).singleElement()
                .asString().contains("no policy document");
        assertThatThrownBy(() -> PolicyEngine.builder(ledger).build())
                .isInstanceOf(PolicyLoadException.class).hasMessageContaining("no policy sources given");
    }

    @Test
    void files_are_read_from_disk_with_their_path_as_the_source(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, HEADER + "spec:\n  rules: [{id: r, effect: allow, when: \"intent.amout > 1\"}]\n");

        assertThatThrownBy(() -> PolicyEngine.builder(ledger).assets(ASSETS).source(PolicySource.file(file)).build())
                .isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining(file + ":6:")
                .hasMessageContaining("[r] CEL error: undefined field 'amout'");
        assertThatThrownBy(() -> PolicySource.file(dir.resolve("missing.yaml")))
                .isInstanceOf(PolicyLoadException.class).hasMessageContaining("cannot read the file");
    }
}
