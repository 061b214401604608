package dev.forage.policies.bench;

import com.cedarpolicy.AuthorizationEngine;
import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.policy.PolicySet;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.ledger.BudgetLine;
import dev.forage.policies.ledger.BudgetWindow;
import dev.forage.policies.Money;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same decisions as {@link DecisionBenchmark}, made by cedar-java 4.10.0 (the Rust Cedar
 * engine over JNI) with the equivalent Cedar policy set from {@link BenchPolicies}. The policy
 * set is parsed and cached in the native engine once in setup (Cedar's fastest mode); each
 * call reads the daily budget from the same in-memory ledger, builds the request, asks Cedar
 * and maps the answer to allow / deny / require-approval.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CedarDecisionBenchmark {

    @Param({"10", "100", "1000"})
    int rules;

    private AuthorizationEngine cedar;
    private PolicySet policies;
    private Set<String> approvalIds;
    private List<SpendIntent> intents;
    private BudgetLedger ledger;
    private BudgetLine daily;
    private int next;

    @Setup
    public void setup() throws Exception {
        cedar = new BasicAuthorizationEngine();
        policies = BenchPolicies.cedar(rules);
        policies.cache();
        approvalIds = BenchPolicies.cedarApprovalIds(rules);
        intents = BenchPolicies.intents(rules);
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:00:30Z"), ZoneOffset.UTC);
        ledger = BudgetLedger.inMemory(clock);
        daily = BudgetLine.of("daily", Money.of(BenchPolicies.USDC, "1000"),
                new BudgetWindow.Calendar(BudgetWindow.Period.DAY, ZoneOffset.UTC));
    }

    @Benchmark
    public String decide() throws AuthException {
        SpendIntent intent = intents.get(next++ & 7);
        long remaining = ledger.usage(daily).remaining().unitsSaturated();
        AuthorizationResponse r = cedar.isAuthorized(
                BenchPolicies.cedarRequest(intent, BenchPolicies.STATS, remaining), policies, Set.of());
        return CedarDecisions.outcome(r, approvalIds);
    }
}
