package dev.forage.policies.bench;

import dev.forage.policies.Context;
import dev.forage.policies.Decision;
import dev.forage.policies.PolicySource;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.approval.Approvals;
import dev.forage.policies.internal.CelPolicyEngine;
import dev.forage.policies.ledger.BudgetLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
 * Decision latency of the CEL policy engine with 10, 100 and 1,000 rules, with the rule index
 * (the default) and without it (every rule evaluated). Policies are compiled once in setup;
 * each call decides one of eight intents that take different paths (allow, deny, require
 * approval, default deny), including the budget lookups in an in-memory ledger.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DecisionBenchmark {

    @Param({"10", "100", "1000"})
    int rules;

    @Param({"true", "false"})
    boolean indexed;

    private CelPolicyEngine engine;
    private List<SpendIntent> intents;
    private Context context;
    private int next;

    @Setup
    public void setup() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:00:30Z"), ZoneOffset.UTC);
        engine = new CelPolicyEngine(BudgetLedger.inMemory(clock), Approvals.inMemory(clock, Duration.ofMinutes(15)),
                BenchPolicies.ASSETS, clock, List.of(PolicySource.of("bench.yaml", BenchPolicies.yaml(rules))), indexed);
        intents = BenchPolicies.intents(rules);
        context = Context.of(BenchPolicies.STATS);
    }

    @Benchmark
    public Decision decide() {
        return engine.decide(intents.get(next++ & 7), context);
    }
}
