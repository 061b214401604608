package dev.forage.policies;

import static dev.forage.policies.testing.Fixtures.ASSETS;
import static dev.forage.policies.testing.Fixtures.intent;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzzing of policy loading, the YAML documents and the CEL conditions in them.
 * For any text, building an engine returns one or throws a {@link PolicyException}; an engine
 * that builds decides a fixed set of intents with a {@link Decision} (never an exception), and
 * loading the same sources again gives the same decisions. The corpora under
 * {@code PolicyFuzzTestInputs} are replayed by every build.
 */
class PolicyFuzzTest {

    private static final List<SpendIntent> INTENTS = List.of(
            intent("fuzz-1").build(),
            intent("fuzz-2").action("inference.run").counterparty("provider-b").market("ionet")
                    .amount(dev.forage.policies.testing.Fixtures.usdc("30")).build(),
            intent("fuzz-3").agent("agent-7").action("payment.x402").market("x402")
                    .amount(dev.forage.policies.testing.Fixtures.usdc("0.05")).build());

    /** A whole policy file: YAML structure, budgets, lists, rules. */
    @FuzzTest
    void policyDocument(byte[] input) {
        check(List.of(PolicySource.of("fuzz.yaml", new String(input, StandardCharsets.UTF_8))));
    }

    /**
     * One CEL condition, placed in a rule of a valid document (as a JSON-quoted YAML string, so
     * every input reaches the CEL compiler, not the YAML parser).
     */
    @FuzzTest
    void celCondition(byte[] input) {
        String cel = new String(input, StandardCharsets.UTF_8);
        String yaml = """
                apiVersion: forage.dev/v1
                kind: SpendingPolicy
                metadata: {name: fuzz}
                spec:
                  lists: {known: [provider-a, provider-b]}
                  budgets:
                    - {id: daily, limit: 10 USDC, window: {calendar: day}}
                  rules:
                    - {id: fuzzed, effect: deny, when: %s}
                    - {id: fallback, effect: allow, when: "true"}
                """.formatted(jsonString(cel));
        check(List.of(PolicySource.of("cel.yaml", yaml)));
    }

    private static void check(List<PolicySource> sources) {
        PolicyEngine engine;
        try {
            engine = engine(sources);
        } catch (PolicyException refused) {
            assertThat(refused.getMessage()).as("refusal of %s", sources).isNotBlank();
            return;
        }
        PolicyEngine again = engine(sources);
        for (SpendIntent intent : INTENTS) {
            Decision first = engine.decide(intent);
            Decision second = again.decide(intent);
            assertThat(second.getClass()).as("decision on %s under %s", intent.id(), sources).isEqualTo(first.getClass());
            assertThat(second.ruleIds()).as("rules deciding %s under %s", intent.id(), sources).isEqualTo(first.ruleIds());
        }
    }

    private static PolicyEngine engine(List<PolicySource> sources) {
        MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
        return PolicyEngine.builder(BudgetLedger.inMemory(clock)).clock(clock).assets(ASSETS).sources(sources).build();
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
