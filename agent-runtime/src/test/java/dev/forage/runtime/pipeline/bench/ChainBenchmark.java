package dev.forage.runtime.pipeline.bench;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.Context;
import dev.forage.policies.Money;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.PolicySource;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditLogConfig;
import dev.forage.runtime.pipeline.Action;
import dev.forage.runtime.pipeline.Executed;
import dev.forage.runtime.pipeline.GovernedChain;
import dev.forage.runtime.pipeline.Outcome;
import dev.forage.runtime.pipeline.Paid;
import dev.forage.runtime.pipeline.PolicyPaymentGuard;
import dev.forage.tools.settle.PaymentGuards;
import dev.forage.tools.settle.spi.PaymentRequest;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The governed chain's own cost per action: replay check, policy decision, budget reservation,
 * the durability wait before money moves, the guard's re-decision and its audit entry, posting
 * and the audit entries of every step, around a payment that is stubbed (it returns at once).
 *
 * <p>{@code stores=memory}: the ledger in memory and the audit log's SQLite file on tmpfs, so
 * fsync costs nothing and what is measured is the chain's work. {@code stores=disk}: the SQLite
 * ledger and audit log on the build machine's disk, every commit fsynced: the end-to-end cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 3, time = 5)
public class ChainBenchmark {

    private static final String TOKEN = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final Address PROVIDER = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final Address AGENT = Address.parse("0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    private static final String POLICY = """
            apiVersion: forage.dev/v1
            kind: SpendingPolicy
            metadata: {name: bench}
            spec:
              budgets:
                - {id: daily, limit: 1000000000 USDC, window: {calendar: day, zone: UTC}}
                - {id: per_provider, limit: 1000000000 USDC, window: {rolling: 1h}, per: counterparty}
              rules:
                - {id: cap, effect: deny, when: "intent.amount > money('1 USDC')", reason: no payment above 1 USDC}
                - {id: x402, effect: allow, when: "intent.action == 'payment.x402' && intent.market == 'x402'"}
            """;

    @Param({"memory", "disk"})
    public String stores;

    private final Asset usdc = Asset.erc20("USDC", 6, "eip155:31337", TOKEN);
    private Path dir;
    private BudgetLedger ledger;
    private AuditLog audit;
    private PolicyPaymentGuard guard;
    private GovernedChain chain;
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path base = stores.equals("memory") && Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(base, "forage-chain-bench");
        Clock clock = Clock.systemUTC();
        ledger = stores.equals("memory") ? BudgetLedger.inMemory(clock) : BudgetLedger.sqlite(dir.resolve("ledger.db"), clock);
        PolicyEngine engine = PolicyEngine.builder(ledger).clock(clock).assets(Assets.of(usdc))
                .source(PolicySource.of("bench.yaml", POLICY)).build();
        audit = AuditLog.open(AuditLogConfig.of(dir.resolve("audit.db"), "forage.dev/bench/chain")
                .withCheckpoints(100_000, Duration.ofMinutes(10)));
        chain = GovernedChain.builder(engine, ledger, audit).clock(clock).build();
        guard = chain.guard();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        audit.close();
        ledger.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One purchase through every step; the payment itself is a stub that asks the guard and returns. */
    @Benchmark
    public Outcome<String> governedPurchase() {
        String id = "bench-" + next++;
        SpendIntent intent = SpendIntent.builder().id(id).agent("bench-agent").action("payment.x402")
                .counterparty(PROVIDER.value()).market("x402").amount(Money.ofUnits(usdc, 10_000))
                .time(java.time.Instant.now()).build();
        Outcome<String> outcome = chain.run(Action.purchase(intent, Context.empty(), spend -> {
            PaymentGuards.require(guard, new PaymentRequest(spend.id(), PaymentRequest.X402, AGENT, PROVIDER,
                    Address.parse(TOKEN), ChainId.parse("eip155:31337"), BigInteger.valueOf(10_000), "bench", "exact"));
            return Executed.paid("ok", Paid.of(spend.amount(), "0x01"));
        }));
        if (!outcome.succeeded()) {
            throw new IllegalStateException("benchmark action did not succeed: " + outcome);
        }
        return outcome;
    }
}
