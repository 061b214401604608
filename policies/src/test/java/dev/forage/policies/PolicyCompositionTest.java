package dev.forage.policies;

import static dev.forage.policies.testing.Fixtures.ASSETS;
import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.testing.Cases;
import dev.forage.policies.testing.Fixtures;
import dev.forage.policies.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Composition as a property: random rules, split at random over several documents, decide
 * exactly as the same rules in one document, and as the precedence written out by hand (any
 * deny, else any require_approval, else any allow, else deny), with rule ids in policy order.
 */
class PolicyCompositionTest {

    record Condition(String cel, Predicate<SpendIntent> holds) {}

    record RuleSpec(String effect, Condition condition) {}

    static final List<Condition> CONDITIONS = List.of(
            new Condition("intent.amount > money('2 USDC')", i -> i.amount().isGreaterThan(usdc("2"))),
            new Condition("intent.action == 'compute.lease'", i -> i.action().equals("compute.lease")),
            new Condition("intent.counterparty in lists.known", i -> List.of("provider-a", "provider-b").contains(i.counterparty())),
            new Condition("intent.market == 'akash' && intent.amount <= money('3 USDC')",
                    i -> i.market().equals("akash") && !i.amount().isGreaterThan(usdc("3"))),
            new Condition("intent.attributes.gpu == 'A100'", i -> "A100".equals(i.attributes().get("gpu"))),
            new Condition("true", i -> true),
            new Condition("false", i -> false));

    private static final List<String> EFFECTS = List.of("allow", "deny", "require_approval");

    private static <T> T oneOf(RandomGenerator random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** 0 to 8 rules, each an effect and one of the conditions. */
    static List<RuleSpec> rules(RandomGenerator random) {
        List<RuleSpec> rules = new ArrayList<>();
        int n = random.nextInt(9);
        for (int k = 0; k < n; k++) {
            rules.add(new RuleSpec(oneOf(random, EFFECTS), oneOf(random, CONDITIONS)));
        }
        return rules;
    }

    static SpendIntent intent(RandomGenerator random) {
        String action = oneOf(random, List.of("compute.lease", "inference.run"));
        String cp = oneOf(random, List.of("provider-a", "provider-c"));
        String market = oneOf(random, List.of("akash", "ionet"));
        String amount = oneOf(random, List.of("1", "2.5", "4"));
        String gpu = oneOf(random, List.of("A100", "H100"));
        return Fixtures.intent("i-" + action + cp + market + amount + gpu)
                .action(action).counterparty(cp).market(market).amount(usdc(amount)).attribute("gpu", gpu).build();
    }

    /** Rules, 1 to 6 intents to decide, and up to 3 cut points splitting the rules into documents. */
    record Input(List<RuleSpec> rules, List<SpendIntent> intents, List<Integer> cuts) {
        @Override
        public String toString() {
            return "rules " + rules.stream().map(r -> r.effect() + " when " + r.condition().cel()).toList()
                    + ", intents " + intents.stream().map(SpendIntent::id).toList() + ", cuts " + cuts;
        }
    }

    static Input input(RandomGenerator random) {
        List<RuleSpec> rules = rules(random);
        List<SpendIntent> intents = new ArrayList<>();
        for (int n = random.nextInt(1, 7); n > 0; n--) {
            intents.add(intent(random));
        }
        List<Integer> cuts = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            cuts.add(random.nextInt(9));
        }
        return new Input(rules, intents, cuts);
    }

    private static String document(String name, List<RuleSpec> rules, int firstIndex, boolean withLists) {
        StringBuilder y = new StringBuilder("""
        apiVersion: forage.dev/v1
        kind: SpendingPolicy
        metadata: {name: %s}
        spec:
        """.formatted(name));
        if (withLists) {
            y.append("  lists: {known: [provider-a, provider-b]}\n");
        }
        y.append("  rules:\n");
        if (rules.isEmpty()) {
            y.setLength(y.length() - "  rules:\n".length());
            y.append("  rules: []\n");
        }
        for (int k = 0; k < rules.size(); k++) {
            y.append("    - {id: r%d, effect: %s, when: \"%s\"}\n"
                    .formatted(firstIndex + k, rules.get(k).effect(), rules.get(k).condition().cel()));
        }
        return y.toString();
    }

    private static PolicyEngine engine(List<String> documents) {
        MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
        PolicyEngine.Builder b = PolicyEngine.builder(BudgetLedger.inMemory(clock)).clock(clock).assets(ASSETS);
        for (int d = 0; d < documents.size(); d++) {
            b.source(PolicySource.of("doc-" + d + ".yaml", documents.get(d)));
        }
        return b.build();
    }

    static LongStream composed_documents_decide_like_one_document_and_like_the_precedence_rules() {
        return Cases.seeds(40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void composed_documents_decide_like_one_document_and_like_the_precedence_rules(long seed) {
        Input in = input(Cases.random(seed));
        Cases.check(seed, in, () -> check(in.rules(), in.intents(), in.cuts()));
    }

    private static void check(List<RuleSpec> rules, List<SpendIntent> intents, List<Integer> cuts) {
        // Split the rules into consecutive documents at the given cut points.
        List<String> split = new ArrayList<>();
        int start = 0;
        int doc = 0;
        for (int cut : cuts.stream().map(c -> Math.min(c, rules.size())).sorted().toList()) {
            split.add(document("d" + doc, rules.subList(start, Math.max(start, cut)), start, doc == 0));
            start = Math.max(start, cut);
            doc++;
        }
        split.add(document("d" + doc, rules.subList(start, rules.size()), start, doc == 0));
        PolicyEngine composed = engine(split);
        PolicyEngine single = engine(List.of(document("all", rules, 0, true)));

        for (SpendIntent intent : intents) {
            Decision a = composed.decide(intent);
            Decision b = single.decide(intent);
            assertThat(a.getClass()).isEqualTo(b.getClass());
            assertThat(a.ruleIds()).isEqualTo(b.ruleIds());

            List<String> denies = matching(rules, "deny", intent);
            List<String> approvals = matching(rules, "require_approval", intent);
            List<String> allows = matching(rules, "allow", intent);
            if (!denies.isEmpty()) {
                assertThat(a).isInstanceOf(Decision.Deny.class);
                assertThat(a.ruleIds()).isEqualTo(denies);
            } else if (!approvals.isEmpty()) {
                assertThat(a).isInstanceOf(Decision.RequireApproval.class);
                assertThat(a.ruleIds()).isEqualTo(approvals);
            } else if (!allows.isEmpty()) {
                assertThat(a).isInstanceOf(Decision.Allow.class);
                assertThat(a.ruleIds()).isEqualTo(allows);
            } else {
                assertThat(a).isInstanceOf(Decision.Deny.class);
                assertThat(a.ruleIds()).isEmpty();
            }
        }
    }

    private static List<String> matching(List<RuleSpec> rules, String effect, SpendIntent intent) {
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < rules.size(); k++) {
            if (rules.get(k).effect().equals(effect) && rules.get(k).condition().holds().test(intent)) {
                ids.add("r" + k);
            }
        }
        return ids;
    }
}
