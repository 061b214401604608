package dev.forage.runtime.pipeline;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.policies.Asset;
import dev.forage.policies.Assets;
import dev.forage.policies.Money;
import dev.forage.policies.PolicyEngine;
import dev.forage.policies.PolicySource;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.approval.Approvals;
import dev.forage.policies.ledger.BudgetLedger;
import dev.forage.policies.testing.MutableClock;
import dev.forage.runtime.audit.AuditEntry;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditLogConfig;
import dev.forage.tools.settle.spi.PaymentRequest;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;

/**
 * A real policy engine, ledger, audit log and payment guard around a chain, on a clock the
 * test moves, for the chain's tests, its model test and its benchmark.
 */
final class ChainFixture implements AutoCloseable {

    static final String TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    static final Address PROVIDER = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    static final Address OTHER = Address.parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    static final Address AGENT = Address.parse("0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    static final ChainId CHAIN = ChainId.parse("eip155:31337");
    static final String POLICY = """
            apiVersion: forage.dev/v1
            kind: SpendingPolicy
            metadata: {name: test}
            spec:
              budgets:
                - {id: daily, limit: 1 USDC, window: {calendar: day, zone: UTC}}
              rules:
                - {id: cap, effect: deny, when: "intent.amount > money('0.60 USDC')", reason: no payment above 0.60 USDC}
                - {id: big, effect: require_approval, when: "intent.amount > money('0.40 USDC')", reason: above 0.40 USDC needs a person}
                - {id: unknown, effect: deny, when: "'strict' in intent.attributes && counterparty.observations == 0", reason: unknown provider}
                - {id: x402, effect: allow, when: "intent.action == 'payment.x402'"}
                - {id: work, effect: allow, when: "intent.action == 'inference.run'"}
            """;

    final Asset usdc = Asset.erc20("USDC", 6, CHAIN.toString(), TOKEN);
    final MutableClock clock = MutableClock.at("2026-11-26T12:00:00Z");
    final BudgetLedger ledger;
    final Approvals approvals;
    final PolicyEngine engine;
    final FlakyAuditLog audit;
    final PolicyPaymentGuard guard;
    final GovernedChain chain;

    ChainFixture(Path dir) {
        this(dir, b -> b);
    }

    ChainFixture(Path dir, UnaryOperator<GovernedChain.Builder> customize) {
        ledger = BudgetLedger.inMemory(clock);
        approvals = Approvals.inMemory(clock, Duration.ofMinutes(15));
        engine = PolicyEngine.builder(ledger).clock(clock).assets(Assets.of(usdc)).approvals(approvals)
                .source(PolicySource.of("policy.yaml", POLICY)).build();
        audit = new FlakyAuditLog(AuditLog.open(AuditLogConfig.of(dir.resolve("audit.db"), "forage.dev/test/chain")
                .withClock(clock)));
        chain = customize.apply(GovernedChain.builder(engine, ledger, audit).clock(clock)
                .reservationTtl(Duration.ofMinutes(5))).build();
        guard = chain.guard();
    }

    Money usdc(String amount) {
        return Money.of(usdc, amount);
    }

    SpendIntent.Builder intent(String id, String amount) {
        return SpendIntent.builder().id(id).agent("agent-1").action("payment.x402").counterparty(PROVIDER.value())
                .market("x402").amount(usdc(amount)).time(clock.instant());
    }

    PaymentRequest request(String id, Address payee, String token, long units) {
        return new PaymentRequest(id, PaymentRequest.X402, AGENT, payee, Address.parse(token), CHAIN,
                BigInteger.valueOf(units), "http://127.0.0.1/v1/offers", "exact");
    }

    /** Every entry of the log so far. */
    List<AuditEntry> entries() {
        return LongStream.range(0, audit.size()).mapToObj(audit::entry).toList();
    }

    /** Every entry as "kind/result". */
    List<String> trail() {
        return entries().stream().map(e -> e.kind().wireName() + "/" + e.payload().path("result").asText()).toList();
    }

    @Override
    public void close() {
        audit.close();
        ledger.close();
    }
}
