package dev.forage.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.forage.policies.ledger.Reservation;
import dev.forage.runtime.audit.AuditEntry;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditLogConfig;
import dev.forage.runtime.audit.EntryKind;
import dev.forage.runtime.audit.SubjectKind;
import dev.forage.tools.settle.spi.PaymentDecision;
import dev.forage.tools.settle.spi.PaymentRequest;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The governed payment path with a real policy engine, an in-memory ledger and a real audit
 * log: what is decided, reserved, signed, posted and recorded for each kind of outcome.
 */
class GovernedPaymentTest {

    private static final String TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private static final Address PROVIDER = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final Address OTHER = Address.parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    private static final Address AGENT = Address.parse("0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    private static final String POLICY = """
            apiVersion: forage.dev/v1
            kind: SpendingPolicy
            metadata: {name: test}
            spec:
              budgets:
                - {id: daily, limit: 1 USDC, window: {calendar: day, zone: UTC}}
              rules:
                - {id: cap, effect: deny, when: "intent.amount > money('0.60 USDC')", reason: no payment above 0.60 USDC}
                - {id: x402, effect: allow, when: "intent.action == 'payment.x402'"}
            """;

    @TempDir
    Path dir;

    private final Asset usdc = Asset.erc20("USDC", 6, "eip155:31337", TOKEN);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private BudgetLedger ledger;
    private PolicyEngine engine;
    private PolicyPaymentGuard guard;
    private AuditLog audit;
    private GovernedPayment governed;

    @BeforeEach
    void setUp() {
        ledger = BudgetLedger.inMemory(clock);
        engine = PolicyEngine.builder(ledger).clock(clock).assets(Assets.of(usdc))
                .source(PolicySource.of("policy.yaml", POLICY)).build();
        guard = new PolicyPaymentGuard(engine, ledger, clock);
        audit = AuditLog.open(AuditLogConfig.of(dir.resolve("audit.db"), "forage.dev/test/governed"));
        governed = new GovernedPayment(engine, ledger, guard, audit, Duration.ofMinutes(5));
    }

    @AfterEach
    void tearDown() {
        audit.close();
        ledger.close();
    }

    private SpendIntent intent(String id, String usdcAmount) {
        return SpendIntent.builder().id(id).agent("agent-1").action("payment.x402").counterparty(PROVIDER.value())
                .market("x402").amount(Money.of(usdc, usdcAmount)).time(clock.instant()).build();
    }

    private PaymentRequest request(String id, Address payee, String token, long units) {
        return new PaymentRequest(id, PaymentRequest.X402, AGENT, payee, Address.parse(token), ChainId.parse("eip155:31337"),
                BigInteger.valueOf(units), "http://127.0.0.1/v1/offers", "exact");
    }

    private List<EntryKind> kinds() {
        return LongStream.range(0, audit.size()).mapToObj(audit::entry).map(AuditEntry::kind).toList();
    }

    @Test
    void anAllowedPaymentIsDecidedReservedSignedPostedAndAuditedInOrder() {
        AtomicReference<PaymentDecision> guardSaid = new AtomicReference<>();

        GovernedPayment.Outcome<String> outcome = governed.run(intent("i-1", "0.50"), Context.empty(), spend -> {
            guardSaid.set(guard.check(request(spend.id(), PROVIDER, TOKEN, 400_000)));
            return new GovernedPayment.Paid<>(Money.of(usdc, "0.40"), Optional.of("0x" + "ab".repeat(32)), "body");
        });

        assertThat(outcome).isInstanceOf(GovernedPayment.Done.class);
        assertThat(guardSaid.get().allowed()).as("the guard allows the authorised payment").isTrue();
        Reservation r = ledger.find("i-1").orElseThrow();
        assertThat(r.state()).isEqualTo(Reservation.State.POSTED);
        assertThat(r.posted()).isEqualTo(Money.of(usdc, "0.40"));
        assertThat(kinds()).containsExactly(EntryKind.POLICY_DECISION, EntryKind.BUDGET_RESERVE, EntryKind.SETTLEMENT_TX,
                EntryKind.BUDGET_POST);
        assertThat(audit.entry(2).subjects()).containsEntry(SubjectKind.TX_HASH, "0x" + "ab".repeat(32))
                .containsEntry(SubjectKind.INTENT, "i-1");
        assertThat(audit.entry(0).payload().path("decision").asText()).isEqualTo("allow");
        // Once the payment is done, the guard no longer signs for that intent.
        assertThat(guard.check(request("i-1", PROVIDER, TOKEN, 400_000)).allowed()).isFalse();
    }

    @Test
    void aRefusedSpendIsAuditedAndNeverReachesThePayment() {
        AtomicInteger payments = new AtomicInteger();

        GovernedPayment.Outcome<String> outcome = governed.run(intent("i-2", "0.70"), Context.empty(), spend -> {
            payments.incrementAndGet();
            return new GovernedPayment.Paid<>(spend.amount(), Optional.empty(), "body");
        });

        assertThat(outcome).isInstanceOfSatisfying(GovernedPayment.Refused.class,
                refused -> assertThat(refused.decision().reasons()).containsExactly("no payment above 0.60 USDC"));
        assertThat(payments).hasValue(0);
        assertThat(ledger.find("i-2")).isEmpty();
        assertThat(kinds()).containsExactly(EntryKind.POLICY_DECISION);
        assertThat(audit.entry(0).payload().path("decision").asText()).isEqualTo("deny");
    }

    @Test
    void aFailedPaymentVoidsItsReservationSoTheBudgetIsNotConsumed() {
        GovernedPayment.Outcome<String> outcome = governed.run(intent("i-3", "0.50"), Context.empty(), spend -> {
            throw new IllegalStateException("provider answered 500");
        });

        assertThat(outcome).isInstanceOf(GovernedPayment.Failed.class);
        assertThat(ledger.find("i-3").orElseThrow().state()).isEqualTo(Reservation.State.VOIDED);
        assertThat(kinds()).containsExactly(EntryKind.POLICY_DECISION, EntryKind.BUDGET_RESERVE, EntryKind.BUDGET_VOID);
        // The whole budget is still there for the next spend.
        assertThat(governed.run(intent("i-4", "0.55"), Context.empty(),
                spend -> new GovernedPayment.Paid<>(spend.amount(), Optional.empty(), "ok")))
                .isInstanceOf(GovernedPayment.Done.class);
    }

    @Test
    void spendsBeyondTheBudgetAreRefusedBeforeAnythingIsSigned() {
        governed.run(intent("i-5", "0.60"), Context.empty(), spend -> new GovernedPayment.Paid<>(spend.amount(), Optional.empty(), "a"));
        AtomicInteger payments = new AtomicInteger();

        GovernedPayment.Outcome<String> outcome = governed.run(intent("i-6", "0.50"), Context.empty(), spend -> {
            payments.incrementAndGet();
            return new GovernedPayment.Paid<>(spend.amount(), Optional.empty(), "b");
        });

        assertThat(outcome).isInstanceOf(GovernedPayment.Refused.class);
        assertThat(((GovernedPayment.Refused<String>) outcome).decision().ruleIds()).containsExactly("budget:daily");
        assertThat(payments).hasValue(0);
    }

    @Test
    void theGuardRefusesEverySignatureThatDoesNotMatchTheAuthorisedIntent() {
        List<String> reasons = new java.util.ArrayList<>();
        governed.run(intent("i-7", "0.50"), Context.empty(), spend -> {
            reasons.addAll(guard.check(request("not-authorised", PROVIDER, TOKEN, 1)).reasons());
            reasons.addAll(guard.check(request(spend.id(), OTHER, TOKEN, 1)).reasons());
            reasons.addAll(guard.check(request(spend.id(), PROVIDER, "0x" + "11".repeat(20), 1)).reasons());
            reasons.addAll(guard.check(request(spend.id(), PROVIDER, TOKEN, 500_001)).reasons());
            assertThat(guard.check(request(spend.id(), PROVIDER, TOKEN, 500_000)).allowed()).isTrue();
            // A policy reloaded mid-payment is obeyed at signing time.
            engine.reload(List.of(PolicySource.of("stricter.yaml", POLICY.replace("0.60 USDC", "0.10 USDC"))));
            reasons.addAll(guard.check(request(spend.id(), PROVIDER, TOKEN, 500_000)).reasons());
            return new GovernedPayment.Paid<>(Money.of(usdc, "0"), Optional.empty(), "nothing");
        });

        assertThat(reasons).hasSize(5);
        assertThat(reasons.get(0)).contains("not-authorised").contains("not authorised by the governed pipeline");
        assertThat(reasons.get(1)).contains(OTHER.value()).contains("decided counterparty");
        assertThat(reasons.get(2)).contains("decided asset");
        assertThat(reasons.get(3)).contains("500001").contains("upper bound");
        assertThat(reasons.get(4)).isEqualTo("no payment above 0.10 USDC");
    }

    @Test
    void withoutAPendingReservationTheGuardRefuses() {
        SpendIntent intent = intent("i-8", "0.50");
        guard.authorize(intent);
        assertThat(guard.check(request("i-8", PROVIDER, TOKEN, 1)).reasons())
                .singleElement().asString().contains("no pending budget reservation");
    }
}
