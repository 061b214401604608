package dev.forage.policies.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.policy.PolicySet;
import dev.forage.policies.Context;
import dev.forage.policies.Decision;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.PolicySource;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.BudgetLedger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark's CEL and Cedar policies really are equivalent: same outcome for every intent. */
class BenchPoliciesTest {

    @ParameterizedTest
    @ValueSource(ints = {10, 100, 1000})
    void cel_and_cedar_agree_on_every_benchmark_intent(int rules) throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:00:30Z"), ZoneOffset.UTC);
        PolicyEngine engine = PolicyEngine.builder(BudgetLedger.inMemory(clock)).clock(clock).assets(BenchPolicies.ASSETS)
                .source(PolicySource.of("bench.yaml", BenchPolicies.yaml(rules))).build();
        PolicySet cedarPolicies = BenchPolicies.cedar(rules);
        Set<String> approvals = BenchPolicies.cedarApprovalIds(rules);
        BasicAuthorizationEngine cedar = new BasicAuthorizationEngine();

        List<String> ours = new ArrayList<>();
        List<String> theirs = new ArrayList<>();
        for (SpendIntent intent : BenchPolicies.intents(rules)) {
            Decision d = engine.decide(intent, Context.of(BenchPolicies.STATS));
            ours.add(switch (d) {
                case Decision.Allow a -> "ALLOW";
                case Decision.Deny x -> "DENY";
                case Decision.RequireApproval r -> "REQUIRE_APPROVAL";
            });
            theirs.add(CedarDecisions.outcome(cedar.isAuthorized(
                    BenchPolicies.cedarRequest(intent, BenchPolicies.STATS, 1_000_000_000L), cedarPolicies, Set.of()), approvals));
        }

        assertThat(ours).isEqualTo(theirs);
        // With 10 rules there is no agent-scoped approval rule yet, so intent 5 is allowed.
        assertThat(ours).containsExactly("ALLOW", "ALLOW", "DENY", "DENY", rules == 10 ? "ALLOW" : "REQUIRE_APPROVAL",
                "DENY", "REQUIRE_APPROVAL", "DENY");
        assertThat(engine.current().rules()).isEqualTo(rules);
        assertThat(cedarPolicies.getNumPolicies()).isEqualTo(rules);
    }
}
