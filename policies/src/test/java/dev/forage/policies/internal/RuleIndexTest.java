package dev.forage.policies.internal;

import static dev.forage.policies.testing.Fixtures.ASSETS;
import static dev.forage.policies.testing.Fixtures.intent;
import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.bundle.Cel;
import dev.forage.policies.Context;
import dev.forage.policies.CounterpartyStats;
import dev.forage.policies.Decision;
import dev.forage.policies.PolicySource;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.approval.Approvals;
import dev.forage.policies.internal.RuleIndex.Field;
import dev.forage.policies.internal.RuleIndex.Guard;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.testing.Cases;
import dev.forage.policies.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RuleIndexTest {

    private static final Map<String, List<String>> LISTS = Map.of("gpus_ok", List.of("p1", "p2", "p3"));
    private static final Cel CEL = PolicyCelEnv.create(Set.of("daily"), Set.of("gpus_ok"), new ConcurrentHashMap<>());

    private static Optional<Guard> guard(String expr) throws Exception {
        return RuleIndex.guardOf(CEL.compile(expr).getAst().getExpr(), LISTS);
    }

    @Test
    void finds_the_most_selective_static_conjunct() throws Exception {
        assertThat(guard("intent.action == 'compute.lease'")).contains(new Guard(Field.ACTION, Set.of("compute.lease")));
        assertThat(guard("'akash' == intent.market && intent.amount > 5")).contains(new Guard(Field.MARKET, Set.of("akash")));
        assertThat(guard("intent.counterparty in ['a', 'b'] && intent.agent == 'x'")).contains(new Guard(Field.AGENT, Set.of("x")));
        assertThat(guard("intent.amount > 1 && (intent.counterparty in lists.gpus_ok)"))
                .contains(new Guard(Field.COUNTERPARTY, Set.of("p1", "p2", "p3")));
        assertThat(guard("intent.amount > 1 && intent.counterparty in ['a', 'b'] && intent.action in ['x', 'y', 'z']"))
                .contains(new Guard(Field.COUNTERPARTY, Set.of("a", "b")));
    }

    @Test
    void leaves_conditions_that_are_not_static_conjunctions_unguarded() throws Exception {
        assertThat(guard("intent.action == 'x' || intent.amount > 5")).isEmpty();
        assertThat(guard("!(intent.action == 'x')")).isEmpty();
        assertThat(guard("intent.action != 'x'")).isEmpty();
        assertThat(guard("intent.action == intent.market")).isEmpty();
        assertThat(guard("intent.action in [intent.market]")).isEmpty();
        assertThat(guard("intent.attributes.gpu == 'A100'")).isEmpty();
        assertThat(guard("intent.action.startsWith('compute.')")).isEmpty();
    }

    // Rules over every indexable shape, for comparing indexed and unindexed engines.
    private static final String POLICY = """
      apiVersion: forage.dev/v1
      kind: SpendingPolicy
      metadata: {name: org}
      spec:
        lists:
          trusted: [p1, p2]
        budgets:
          - {id: daily, limit: 20 USDC, window: {calendar: day}}
        rules:
          - {id: a1, effect: allow, when: "intent.action == 'compute.lease' && intent.amount <= money('5 USDC')"}
          - {id: a2, effect: allow, when: "intent.counterparty in lists.trusted"}
          - {id: a3, effect: allow, when: "intent.market in ['akash', 'ionet'] && counterparty.reputation > 50"}
          - {id: a4, effect: allow, when: "intent.amount < money('0.10 USDC')"}
          - {id: d1, effect: deny, when: "intent.counterparty == 'p3'"}
          - {id: d2, effect: deny, when: "intent.action == 'settlement.release' && budgets.daily.remaining < 1000000"}
          - {id: d3, effect: deny, when: "intent.attributes.gpu == 'H100' || intent.market == 'shady'"}
          - {id: r1, effect: require_approval, when: "intent.agent == 'agent-2' && intent.amount > money('1 USDC')"}
          - {id: r2, effect: require_approval, when: "counterparty.observations == 0 && intent.action in ['compute.lease']"}
      ---
      apiVersion: forage.dev/v1
      kind: SpendingPolicy
      metadata: {name: agent-3}
      spec:
        agents: [agent-3]
        rules:
          - {id: x1, effect: allow, when: "true"}
          - {id: x2, effect: deny, when: "intent.amount > money('7 USDC')"}
      """;

    // Compiled once: a decision here changes no state that another try could see differently.
    private static final MutableClock CLOCK = MutableClock.at("2026-03-02T10:00:00Z");
    private static final List<PolicySource> SOURCES = List.of(PolicySource.of("p.yaml", POLICY));
    private static final CelPolicyEngine INDEXED = new CelPolicyEngine(BudgetLedger.inMemory(CLOCK),
            Approvals.inMemory(CLOCK, Duration.ofMinutes(5)), ASSETS, CLOCK, SOURCES, true);
    private static final CelPolicyEngine SCANNED = new CelPolicyEngine(BudgetLedger.inMemory(CLOCK),
            Approvals.inMemory(CLOCK, Duration.ofMinutes(5)), ASSETS, CLOCK, SOURCES, false);

    private static <T> T oneOf(RandomGenerator random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** An intent over the values the policy's rules test, and counterparty statistics. */
    record Input(SpendIntent intent, CounterpartyStats stats) {}

    static Input input(RandomGenerator random) {
        String agent = oneOf(random, List.of("agent-1", "agent-2", "agent-3"));
        String action = oneOf(random, List.of("compute.lease", "inference.run", "settlement.release", "payment.x402"));
        String cp = oneOf(random, List.of("p1", "p2", "p3", "p4"));
        String market = oneOf(random, List.of("akash", "ionet", "x402", "shady"));
        int cents = random.nextInt(10) == 0 ? oneOf(random, List.of(1, 10, 100, 500, 700, 900)) : random.nextInt(1, 901);
        String gpu = oneOf(random, List.of("A100", "H100"));
        SpendIntent intent = intent("i-" + agent + action + cp + market + cents + gpu)
                .agent(agent).action(action).counterparty(cp).market(market)
                .amount(usdc(String.valueOf(cents / 100.0))).attribute("gpu", gpu).build();
        CounterpartyStats stats = new CounterpartyStats(oneOf(random, List.of(0L, 5L)), 1.0, 0, oneOf(random, List.of(10.0, 90.0)));
        return new Input(intent, stats);
    }

    static LongStream indexing_never_changes_a_decision() {
        return Cases.seeds(300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void indexing_never_changes_a_decision(long seed) {
        Input in = input(Cases.random(seed));
        Cases.check(seed, in, () -> {
            Decision a = INDEXED.decide(in.intent(), Context.of(in.stats()));
            Decision b = SCANNED.decide(in.intent(), Context.of(in.stats()));

            assertThat(a.getClass()).isEqualTo(b.getClass());
            assertThat(a.ruleIds()).isEqualTo(b.ruleIds());
            assertThat(a.reasons()).isEqualTo(b.reasons());
        });
    }
}
