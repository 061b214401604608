package dev.forage.policies;

import static dev.forage.policies.testing.Fixtures.ASSETS;
import static dev.forage.policies.testing.Fixtures.intent;
import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

    @Provide
    Arbitrary<List<RuleSpec>> rules() {
        return Combinators.combine(Arbitraries.of("allow", "deny", "require_approval"), Arbitraries.of(CONDITIONS))
                .as(RuleSpec::new).list().ofMinSize(0).ofMaxSize(8);
    }

    @Provide
    Arbitrary<SpendIntent> intents() {
        return Combinators.combine(
                        Arbitraries.of("compute.lease", "inference.run"),
                        Arbitraries.of("provider-a", "provider-c"),
                        Arbitraries.of("akash", "ionet"),
                        Arbitraries.of("1", "2.5", "4"),
                        Arbitraries.of("A100", "H100"))
                .as((action, cp, market, amount, gpu) -> intent("i-" + action + cp + market + amount + gpu)
                        .action(action).counterparty(cp).market(market).amount(usdc(amount)).attribute("gpu", gpu).build());
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

    @Property(tries = 40)
    void composed_documents_decide_like_one_document_and_like_the_precedence_rules(
            @ForAll("rules") List<RuleSpec> rules, @ForAll("intentLists") List<SpendIntent> intents,
            @ForAll("splits") List<Integer> cuts) {
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

    @Provide
    Arbitrary<List<SpendIntent>> intentLists() {
        return intents().list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Integer>> splits() {
        return Arbitraries.integers().between(0, 8).list().ofMaxSize(3);
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
