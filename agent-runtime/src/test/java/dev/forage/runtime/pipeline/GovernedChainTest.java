package dev.forage.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.Context;
import dev.forage.policies.CounterpartyStats;
import dev.forage.policies.Decision;
import dev.forage.policies.PolicySource;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.Reservation;
import dev.forage.policies.ledger.ReserveRequest;
import dev.forage.runtime.audit.AuditEntry;
import dev.forage.runtime.audit.EntryKind;
import dev.forage.runtime.audit.SubjectKind;
import dev.forage.tools.settle.PaymentDeniedException;
import dev.forage.tools.settle.PaymentGuards;
import dev.forage.tools.settle.spi.PaymentDecision;
import dev.forage.tools.verify.Verdict;
import dev.forage.tools.x402.X402Exception;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every outcome of the governed chain, with a real policy engine, ledger, audit log and
 * payment guard: what is decided, reserved, signed, posted and recorded in each case.
 */
class GovernedChainTest {

    private static final String TX = "0x" + "ab".repeat(32);

    @TempDir
    Path dir;

    private ChainFixture f;

    private ChainFixture fixture() {
        f = new ChainFixture(dir);
        return f;
    }

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    /** A purchase whose execution asks the guard for a signature of {@code units}, then pays them. */
    private Action<String> purchase(SpendIntent intent, long units, AtomicInteger signed) {
        return Action.purchase(intent, Context.empty(), spend -> {
            PaymentGuards.require(f.guard, f.request(spend.id(), ChainFixture.PROVIDER, ChainFixture.TOKEN, units));
            signed.incrementAndGet();
            return Executed.paid("body", Paid.of(f.usdc("0").plus(dev.forage.policies.Money.ofUnits(f.usdc,
                    java.math.BigInteger.valueOf(units))), TX));
        });
    }

    @Test
    void anAllowedPurchaseIsDecidedReservedSignedPaidPostedAndAuditedInOrder() {
        fixture();
        AtomicInteger signed = new AtomicInteger();

        Outcome<String> outcome = f.chain.run(purchase(f.intent("i-1", "0.30").build(), 250_000, signed));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Done.class, done -> {
            assertThat(done.result()).isEqualTo("body");
            assertThat(done.paid()).map(p -> ((Paid) p).actual()).contains(f.usdc("0.25"));
        });
        assertThat(signed).hasValue(1);
        Reservation r = f.ledger.find("i-1").orElseThrow();
        assertThat(r.state()).isEqualTo(Reservation.State.POSTED);
        assertThat(r.posted()).isEqualTo(f.usdc("0.25"));
        assertThat(f.trail()).containsExactly("policy_decision/allow", "budget_reserve/reserved", "payment_guard/allowed",
                "settlement_tx/paid", "budget_post/posted");
        AuditEntry paid = f.entries().get(3);
        assertThat(paid.subjects()).containsEntry(SubjectKind.TX_HASH, TX).containsEntry(SubjectKind.INTENT, "i-1");
        assertThat(paid.payload().path("amount").asText()).isEqualTo("0.25 USDC");
        // Once the action is done, the guard no longer signs for its intent.
        assertThat(f.guard.check(f.request("i-1", ChainFixture.PROVIDER, ChainFixture.TOKEN, 1)).allowed()).isFalse();
        assertThat(f.chain.discrepancies().open()).isEmpty();
    }

    @Test
    void aDeniedIntentIsAuditedAndNeverReserved() {
        fixture();
        AtomicInteger signed = new AtomicInteger();

        Outcome<String> outcome = f.chain.run(purchase(f.intent("i-2", "0.70").build(), 1, signed));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Refused.class,
                refused -> assertThat(refused.decision().reasons()).containsExactly("no payment above 0.60 USDC"));
        assertThat(signed).hasValue(0);
        assertThat(f.ledger.find("i-2")).isEmpty();
        assertThat(f.trail()).containsExactly("policy_decision/deny");
        assertThat(f.entries().get(0).payload().path("rules").get(0).asText()).isEqualTo("cap");
    }

    @Test
    void anIntentNeedingApprovalWaitsUnreservedAndGoesThroughOnceApproved() {
        fixture();
        AtomicInteger signed = new AtomicInteger();
        SpendIntent intent = f.intent("i-3", "0.50").build();

        Outcome<String> first = f.chain.run(purchase(intent, 500_000, signed));

        assertThat(first).isInstanceOf(Outcome.AwaitingApproval.class);
        String request = ((Outcome.AwaitingApproval<String>) first).request().id();
        assertThat(f.ledger.find("i-3")).isEmpty();
        assertThat(signed).hasValue(0);
        assertThat(f.trail()).containsExactly("policy_decision/require_approval", "approval/pending");

        f.approvals.approve(request, "alice", "expected spend");
        Outcome<String> second = f.chain.run(purchase(intent, 500_000, signed));

        assertThat(second).isInstanceOf(Outcome.Done.class);
        assertThat(signed).hasValue(1);
        assertThat(f.trail()).endsWith("policy_decision/allow", "budget_reserve/reserved", "payment_guard/allowed",
                "settlement_tx/paid", "budget_post/posted");
    }

    @Test
    void aChainWithAnInboxWaitsForTheApproverAndADenialRefuses() throws Exception {
        f = new ChainFixture(dir, b -> b);
        GovernedChain waiting = GovernedChain.builder(f.engine, f.ledger, f.audit)
                .approvals(f.approvals, Duration.ofDays(1)).build();
        AtomicInteger signed = new AtomicInteger();
        Thread approver = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < 1000 && f.approvals.pending().isEmpty(); i++) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                return;
            }
            f.approvals.deny(f.approvals.pending().get(0).id(), "bob", "not this month");
        });

        Outcome<String> outcome = waiting.run(purchase(f.intent("i-4", "0.50").build(), 500_000, signed));
        approver.join(Duration.ofSeconds(15));

        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        assertThat(signed).hasValue(0);
        assertThat(f.trail()).containsExactly("policy_decision/require_approval", "approval/denied", "policy_decision/deny");
        assertThat(f.entries().get(1).payload().path("approver").asText()).isEqualTo("bob");
    }

    @Test
    void aBudgetWithoutRoomAtReservationTimeEndsOverBudgetWithNothingSigned() {
        // A step placed before the reservation plays a concurrent intent that takes the room.
        f = new ChainFixture(dir, b -> b.addBefore("reserve", new Step() {
            @Override
            public String name() {
                return "concurrent-spend";
            }

            @Override
            public EntryKind kind(Exchange<?> exchange) {
                return EntryKind.TOOL_CALL;
            }

            @Override
            public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) {
                SpendIntent other = f.intent("other", "0.90").build();
                f.ledger.reserve(f.engine.reserveRequest(other, Duration.ofMinutes(5)));
                return next.proceed();
            }
        }));
        AtomicInteger signed = new AtomicInteger();

        Outcome<String> outcome = f.chain.run(purchase(f.intent("i-5", "0.30").build(), 1, signed));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.OverBudget.class,
                over -> assertThat(over.why()).contains("budget daily"));
        assertThat(signed).hasValue(0);
        assertThat(f.trail()).containsExactly("policy_decision/allow", "budget_reserve/exceeded");
    }

    @Test
    void aReplayOfAPostedIntentReturnsItsPostingAndPaysNothing() {
        fixture();
        AtomicInteger signed = new AtomicInteger();
        SpendIntent intent = f.intent("i-6", "0.30").build();
        f.chain.run(purchase(intent, 300_000, signed));

        Outcome<String> again = f.chain.run(purchase(intent, 300_000, signed));

        assertThat(again).isInstanceOfSatisfying(Outcome.Replayed.class,
                r -> assertThat(r.posting().posted()).isEqualTo(f.usdc("0.30")));
        assertThat(signed).hasValue(1);
        assertThat(f.trail()).endsWith("budget_post/posted", "budget_reserve/replayed_posted");
        assertThat(f.ledger.usage(f.engine.budgetsFor(intent).get(0)).spent()).isEqualTo(f.usdc("0.30"));
    }

    @Test
    void aReplayOfAnApprovedAndPostedIntentDoesNotAskForApprovalAgain() {
        fixture();
        AtomicInteger signed = new AtomicInteger();
        SpendIntent intent = f.intent("i-6b", "0.50").build();
        Outcome<String> first = f.chain.run(purchase(intent, 500_000, signed));
        f.approvals.approve(((Outcome.AwaitingApproval<String>) first).request().id(), "alice", "ok");
        assertThat(f.chain.run(purchase(intent, 500_000, signed))).isInstanceOf(Outcome.Done.class);
        // The approval expires; the budget now counts the intent's own spend.
        f.clock.advance(Duration.ofHours(1));

        Outcome<String> again = f.chain.run(purchase(intent, 500_000, signed));

        assertThat(again).isInstanceOf(Outcome.Replayed.class);
        assertThat(signed).hasValue(1);
        assertThat(f.trail()).endsWith("budget_post/posted", "budget_reserve/replayed_posted");
    }

    @Test
    void aReplayOfAVoidedIntentIsRefused() {
        fixture();
        SpendIntent intent = f.intent("i-7", "0.30").build();
        f.chain.run(Action.purchase(intent, Context.empty(), spend -> {
            throw new IllegalStateException("provider answered 500");
        }));
        AtomicInteger signed = new AtomicInteger();

        Outcome<String> again = f.chain.run(purchase(intent, 300_000, signed));

        assertThat(again).isInstanceOf(Outcome.ReplayRefused.class);
        assertThat(signed).hasValue(0);
        assertThat(f.trail()).endsWith("budget_reserve/replayed_voided");
    }

    @Test
    void aReservationLeftPendingByAnEarlierRunIsResumedUnderTheSameId() {
        fixture();
        SpendIntent intent = f.intent("i-8", "0.30").build();
        // An earlier process reserved and stopped before paying.
        f.ledger.reserve(f.engine.reserveRequest(intent, Duration.ofMinutes(5)));
        AtomicInteger signed = new AtomicInteger();

        Outcome<String> outcome = f.chain.run(purchase(intent, 300_000, signed));

        assertThat(outcome).isInstanceOf(Outcome.Done.class);
        assertThat(f.trail()).containsExactly("policy_decision/allow", "budget_reserve/resumed", "payment_guard/allowed",
                "settlement_tx/paid", "budget_post/posted");
        assertThat(f.ledger.find("i-8").orElseThrow().state()).isEqualTo(Reservation.State.POSTED);
    }

    @Test
    void aPaymentThatFailsBeforeAnySignatureVoidsTheReservation() {
        fixture();

        Outcome<String> outcome = f.chain.run(Action.purchase(f.intent("i-9", "0.30").build(), Context.empty(), spend -> {
            throw new X402Exception(X402Exception.Reason.TRANSPORT, "connection refused");
        }));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.step()).isEqualTo("execute");
            assertThat(failed.paid()).isEmpty();
        });
        assertThat(f.ledger.find("i-9").orElseThrow().state()).isEqualTo(Reservation.State.VOIDED);
        assertThat(f.trail()).containsExactly("policy_decision/allow", "budget_reserve/reserved", "settlement_tx/failed",
                "budget_void/voided");
        assertThat(f.entries().get(2).payload().path("message").asText()).isEqualTo("connection refused");
        // The whole budget is there for the next spend.
        assertThat(f.chain.run(purchase(f.intent("i-9b", "0.30").build(), 1, new AtomicInteger()))).isInstanceOf(Outcome.Done.class);
    }

    @Test
    void aRefusalAfterTheSignatureThatProvesNothingMovedVoidsToo() {
        fixture();

        Outcome<String> outcome = f.chain.run(Action.purchase(f.intent("i-10", "0.30").build(), Context.empty(), spend -> {
            PaymentGuards.require(f.guard, f.request(spend.id(), ChainFixture.PROVIDER, ChainFixture.TOKEN, 1));
            throw new X402Exception(X402Exception.Reason.PAYMENT_REJECTED, "insufficient_funds");
        }));

        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        assertThat(f.ledger.find("i-10").orElseThrow().state()).isEqualTo(Reservation.State.VOIDED);
        assertThat(f.chain.discrepancies().open()).isEmpty();
    }

    @Test
    void aFailureAfterTheSignatureThatDoesNotShowWhetherMoneyMovedIsInDoubtAndCountedAsSpent() {
        fixture();

        Outcome<String> outcome = f.chain.run(Action.purchase(f.intent("i-11", "0.30").build(), Context.empty(), spend -> {
            PaymentGuards.require(f.guard, f.request(spend.id(), ChainFixture.PROVIDER, ChainFixture.TOKEN, 300_000));
            throw new X402Exception(X402Exception.Reason.TRANSPORT, "connection reset after the payment header was sent");
        }));

        assertThat(outcome).isInstanceOf(Outcome.InDoubt.class);
        assertThat(outcome.succeeded()).isFalse();
        Reservation r = f.ledger.find("i-11").orElseThrow();
        assertThat(r.state()).isEqualTo(Reservation.State.POSTED);
        assertThat(r.posted()).isEqualTo(f.usdc("0.30"));
        assertThat(f.trail()).containsExactly("policy_decision/allow", "budget_reserve/reserved", "payment_guard/allowed",
                "settlement_tx/in_doubt", "budget_post/posted_in_doubt");
        assertThat(f.chain.discrepancies().open()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(Discrepancy.Kind.PAYMENT_IN_DOUBT);
            assertThat(d.intentId()).isEqualTo("i-11");
        });
        // A retry never pays twice: it finds the posting.
        assertThat(f.chain.run(purchase(f.intent("i-11", "0.30").build(), 1, new AtomicInteger())))
                .isInstanceOf(Outcome.Replayed.class);
    }

    @Test
    void aPostTheLedgerRefusesAfterPaymentIsADiscrepancyNeverASuccess() {
        fixture();
        AtomicInteger signed = new AtomicInteger();

        // The reservation expires while the payment is in flight.
        Outcome<String> outcome = f.chain.run(Action.purchase(f.intent("i-12", "0.30").build(), Context.empty(), spend -> {
            PaymentGuards.require(f.guard, f.request(spend.id(), ChainFixture.PROVIDER, ChainFixture.TOKEN, 300_000));
            signed.incrementAndGet();
            f.clock.advance(Duration.ofMinutes(6));
            return Executed.paid("late", Paid.of(f.usdc("0.30"), TX));
        }));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Discrepancy.class, d -> {
            assertThat(d.payment().actual()).isEqualTo(f.usdc("0.30"));
            assertThat(d.why()).contains("EXPIRED");
        });
        assertThat(outcome.succeeded()).isFalse();
        assertThat(f.trail()).endsWith("settlement_tx/paid", "budget_post/refused_after_payment");
        assertThat(f.chain.discrepancies().open()).singleElement()
                .satisfies(d -> assertThat(d.kind()).isEqualTo(Discrepancy.Kind.POST_REFUSED_AFTER_PAYMENT));
    }

    @Test
    void aProviderThatBillsAboveTheReservationIsADiscrepancy() {
        fixture();

        Outcome<String> outcome = f.chain.run(Action.purchase(f.intent("i-13", "0.30").build(), Context.empty(),
                spend -> Executed.paid("overbilled", Paid.of(f.usdc("0.31"), TX))));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Discrepancy.class,
                d -> assertThat(d.why()).contains("paid 0.31 USDC but only 0.30 USDC was reserved"));
        // The books count everything they may; the excess is the reported discrepancy.
        assertThat(f.ledger.find("i-13").orElseThrow().posted()).isEqualTo(f.usdc("0.30"));
        assertThat(f.chain.discrepancies().open()).singleElement()
                .satisfies(d -> assertThat(d.detail()).contains("excess of 0.01 USDC"));
    }

    @Test
    void whenTheAuditLogCannotRecordTheDecisionNothingIsSignedAndTheReservationIsVoided() {
        fixture();
        f.audit.failWhen(e -> e.kind() == EntryKind.BUDGET_RESERVE);
        AtomicInteger signed = new AtomicInteger();

        Outcome<String> outcome = f.chain.run(purchase(f.intent("i-14", "0.30").build(), 1, signed));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Aborted.class, a -> assertThat(a.why()).contains("disk full"));
        assertThat(signed).hasValue(0);
        assertThat(f.ledger.find("i-14").orElseThrow().state()).isEqualTo(Reservation.State.VOIDED);
        assertThat(f.chain.auditBacklog()).isEqualTo(1);

        f.audit.heal();
        assertThat(f.chain.flushAuditBacklog()).isZero();
        assertThat(f.trail()).containsExactly("policy_decision/allow", "payment_guard/aborted", "budget_void/voided",
                "budget_reserve/reserved");
    }

    @Test
    void whenTheAuditLogFailsAfterMoneyMovedThePostingStandsAndTheEntriesFollowLater() {
        fixture();
        f.audit.failWhen(e -> e.kind() == EntryKind.SETTLEMENT_TX || e.kind() == EntryKind.BUDGET_POST);
        AtomicInteger signed = new AtomicInteger();

        Outcome<String> outcome = f.chain.run(purchase(f.intent("i-15", "0.30").build(), 300_000, signed));

        assertThat(outcome).isInstanceOf(Outcome.Done.class);
        assertThat(f.ledger.find("i-15").orElseThrow().state()).isEqualTo(Reservation.State.POSTED);
        assertThat(f.chain.auditBacklog()).isEqualTo(2);
        assertThat(f.trail()).containsExactly("policy_decision/allow", "budget_reserve/reserved", "payment_guard/allowed");

        f.audit.heal();
        f.chain.run(purchase(f.intent("i-16", "0.10").build(), 100_000, signed));

        assertThat(f.chain.auditBacklog()).isZero();
        assertThat(f.trail()).startsWith("policy_decision/allow", "budget_reserve/reserved", "payment_guard/allowed",
                "settlement_tx/paid", "budget_post/posted");
    }

    @Test
    void theGuardReDecidesWithTheContextTheIntentWasDecidedUnder() {
        fixture();
        SpendIntent strict = f.intent("i-17", "0.30").attribute("strict", "yes").build();
        Context known = Context.of(new CounterpartyStats(40, 0.99, 0, 0.9));
        AtomicReference<PaymentDecision> said = new AtomicReference<>();

        Outcome<String> outcome = f.chain.run(Action.purchase(strict, known, spend -> {
            said.set(f.guard.check(f.request(spend.id(), ChainFixture.PROVIDER, ChainFixture.TOKEN, 300_000)));
            return Executed.paid("ok", Paid.of(f.usdc("0.30"), TX));
        }));

        assertThat(outcome).isInstanceOf(Outcome.Done.class);
        assertThat(said.get().allowed()).as("an empty context would deny the unknown provider").isTrue();
        assertThat(f.engine.decide(strict).allowed()).isFalse();
    }

    @Test
    void theGuardRefusesAndRecordsEverySignatureThatDoesNotMatchTheAuthorisedIntent() {
        fixture();
        List<String> reasons = new ArrayList<>();

        f.chain.run(Action.purchase(f.intent("i-18", "0.30").build(), Context.empty(), spend -> {
            reasons.addAll(f.guard.check(f.request("not-authorised", ChainFixture.PROVIDER, ChainFixture.TOKEN, 1)).reasons());
            reasons.addAll(f.guard.check(f.request(spend.id(), ChainFixture.OTHER, ChainFixture.TOKEN, 1)).reasons());
            reasons.addAll(f.guard.check(f.request(spend.id(), ChainFixture.PROVIDER, "0x" + "11".repeat(20), 1)).reasons());
            reasons.addAll(f.guard.check(f.request(spend.id(), ChainFixture.PROVIDER, ChainFixture.TOKEN, 300_001)).reasons());
            assertThat(f.guard.check(f.request(spend.id(), ChainFixture.PROVIDER, ChainFixture.TOKEN, 300_000)).allowed()).isTrue();
            // A policy reloaded mid-payment is obeyed at signing time.
            f.engine.reload(List.of(PolicySource.of("stricter.yaml", ChainFixture.POLICY.replace("0.60 USDC", "0.10 USDC"))));
            reasons.addAll(f.guard.check(f.request(spend.id(), ChainFixture.PROVIDER, ChainFixture.TOKEN, 300_000)).reasons());
            return Executed.unpaid("nothing");
        }));

        assertThat(reasons).hasSize(5);
        assertThat(reasons.get(0)).contains("not-authorised").contains("not authorised by the governed pipeline");
        assertThat(reasons.get(1)).contains(ChainFixture.OTHER.value()).contains("decided counterparty");
        assertThat(reasons.get(2)).contains("decided asset");
        assertThat(reasons.get(3)).contains("300001").contains("upper bound");
        assertThat(reasons.get(4)).isEqualTo("no payment above 0.10 USDC");
        assertThat(f.trail()).containsExactly("policy_decision/allow", "budget_reserve/reserved", "payment_guard/refused",
                "payment_guard/refused", "payment_guard/refused", "payment_guard/refused", "payment_guard/allowed",
                "payment_guard/refused", "settlement_tx/executed", "budget_void/voided");
        AuditEntry outside = f.entries().get(2);
        assertThat(outside.actor().type()).isEqualTo("system");
        assertThat(outside.payload().path("authorised").asBoolean()).isFalse();
    }

    @Test
    void aPaymentOutsideTheChainIsRefusedAndLeavesATrace() {
        fixture();

        assertThatThrownBy(() -> PaymentGuards.require(f.guard,
                f.request("sneaky", ChainFixture.PROVIDER, ChainFixture.TOKEN, 1)))
                .isInstanceOf(PaymentDeniedException.class);

        assertThat(f.trail()).containsExactly("payment_guard/refused");
        assertThat(f.entries().get(0).agentId()).isEqualTo("eip155:31337:" + ChainFixture.AGENT.value());
        assertThat(f.entries().get(0).subjects()).containsEntry(SubjectKind.INTENT, "sneaky");
    }

    @Test
    void aVerifiedActionIsPaidOnlyAfterItsVerdictPasses() {
        fixture();
        List<String> order = new ArrayList<>();
        SpendIntent work = f.intent("i-19", "0.30").action("inference.run").build();

        Outcome<String> outcome = f.chain.run(Action.verified(work, Context.empty(), EntryKind.INFERENCE_DISPATCH,
                spend -> {
                    order.add("execute");
                    return Executed.unpaid("vectors");
                },
                (spend, result) -> {
                    order.add("verify");
                    return new Verdict.Pass(0.999, "re-execution", Verdict.Evidence.of("8 of 8 sampled items match"));
                },
                (spend, result) -> {
                    order.add("settle");
                    PaymentGuards.require(f.guard, f.request(spend.id(), ChainFixture.PROVIDER, ChainFixture.TOKEN, 200_000));
                    return Paid.of(f.usdc("0.20"), TX);
                }));

        assertThat(order).containsExactly("execute", "verify", "settle");
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Done.class,
                d -> assertThat(d.verdict()).map(v -> ((Verdict) v).passed()).contains(true));
        assertThat(f.trail()).containsExactly("policy_decision/allow", "budget_reserve/reserved",
                "inference_dispatch/executed", "verdict/pass", "payment_guard/allowed", "settlement_tx/paid",
                "budget_post/posted");
        assertThat(f.ledger.find("i-19").orElseThrow().posted()).isEqualTo(f.usdc("0.20"));
    }

    @Test
    void aFailedVerdictPaysNothingAndVoidsTheReservation() {
        fixture();
        AtomicInteger settled = new AtomicInteger();
        SpendIntent work = f.intent("i-20", "0.30").action("inference.run").build();

        Outcome<String> outcome = f.chain.run(Action.verified(work, Context.empty(), EntryKind.INFERENCE_DISPATCH,
                spend -> Executed.unpaid("random vectors"),
                (spend, result) -> new Verdict.Fail(0.02, "re-execution", Verdict.Evidence.of("0 of 8 match"),
                        "sampled vectors are unrelated to the model's"),
                (spend, result) -> {
                    settled.incrementAndGet();
                    return Paid.of(f.usdc("0.30"), TX);
                }));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Rejected.class, r -> assertThat(r.paid()).isEmpty());
        assertThat(settled).hasValue(0);
        assertThat(f.ledger.find("i-20").orElseThrow().state()).isEqualTo(Reservation.State.VOIDED);
        assertThat(f.trail()).containsExactly("policy_decision/allow", "budget_reserve/reserved",
                "inference_dispatch/executed", "verdict/fail", "budget_void/voided");
        assertThat(f.entries().get(3).payload().path("reason").asText()).isEqualTo("sampled vectors are unrelated to the model's");
    }

    @Test
    void aStepThatEndsTheActionWithoutAnEntryGetsOneAndItsReservationDoesNotLeak() {
        f = new ChainFixture(dir, b -> b.addAfter("reserve", new Step() {
            @Override
            public String name() {
                return "silent";
            }

            @Override
            public EntryKind kind(Exchange<?> exchange) {
                return EntryKind.TOOL_CALL;
            }

            @Override
            public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) {
                return new Outcome.Aborted<>(exchange.intent(), "a custom step stopped here");
            }
        }));

        Outcome<String> outcome = f.chain.run(purchase(f.intent("i-21", "0.30").build(), 1, new AtomicInteger()));

        assertThat(outcome).isInstanceOf(Outcome.Aborted.class);
        assertThat(f.chain.stepNames()).containsExactly("feedback", "replay", "decide", "approval", "reserve", "silent", "post-or-void",
                "authorize", "execute", "verify", "settle");
        assertThat(f.trail()).containsExactly("policy_decision/allow", "budget_reserve/reserved",
                "tool_call/ended_without_entry", "budget_void/voided");
        assertThat(f.ledger.find("i-21").orElseThrow().state()).isEqualTo(Reservation.State.VOIDED);
    }

    @Test
    void aStepThatProceedsTwiceFailsBeforeAnythingIsReserved() {
        f = new ChainFixture(dir, b -> b.addBefore("decide", new Step() {
            @Override
            public String name() {
                return "greedy";
            }

            @Override
            public EntryKind kind(Exchange<?> exchange) {
                return EntryKind.TOOL_CALL;
            }

            @Override
            public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) {
                Outcome<T> first = next.proceed();
                return first.succeeded() ? next.proceed() : first;
            }
        }));
        AtomicInteger signed = new AtomicInteger();

        Outcome<String> outcome = f.chain.run(purchase(f.intent("i-22", "0.30").build(), 300_000, signed));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.step()).isEqualTo("greedy");
            assertThat(failed.error()).hasMessageContaining("called proceed() twice");
        });
        assertThat(signed).as("the rest of the chain ran once").hasValue(1);
        assertThat(f.ledger.find("i-22").orElseThrow().state()).isEqualTo(Reservation.State.POSTED);
    }

    @Test
    void builderRefusesUnknownAnchorsAndDuplicateNames() {
        fixture();
        Step extra = new ExecuteStep();

        assertThatThrownBy(() -> GovernedChain.builder(f.engine, f.ledger, f.audit).addAfter("nope", extra).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no step named 'nope'");
        assertThatThrownBy(() -> GovernedChain.builder(f.engine, f.ledger, f.audit).addAfter("settle", extra).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two steps are named 'execute'");
    }

    @Test
    void anInterruptedExecutionFailsAndKeepsTheInterruptFlag() {
        fixture();

        Outcome<String> outcome = f.chain.run(Action.purchase(f.intent("i-23", "0.30").build(), Context.empty(), spend -> {
            throw new InterruptedException("shutting down");
        }));

        assertThat(Thread.interrupted()).as("the interrupt flag survives the chain").isTrue();
        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        assertThat(f.ledger.find("i-23").orElseThrow().state()).isEqualTo(Reservation.State.VOIDED);
    }

    @Test
    void feedbackSeesEveryOutcomeAndItsFailureChangesNothing() {
        List<String> seen = new ArrayList<>();
        f = new ChainFixture(dir, b -> b.feedback(outcome -> {
            seen.add(outcome.wireName());
            if (outcome instanceof Outcome.Refused) {
                throw new IllegalStateException("stats store down");
            }
            return Optional.of(Exchange.details().put("provider", outcome.intent().counterparty()));
        }));

        Outcome<String> done = f.chain.run(purchase(f.intent("i-24", "0.30").build(), 1, new AtomicInteger()));
        Outcome<String> refused = f.chain.run(purchase(f.intent("i-25", "0.70").build(), 1, new AtomicInteger()));

        assertThat(done).isInstanceOf(Outcome.Done.class);
        assertThat(refused).isInstanceOf(Outcome.Refused.class);
        assertThat(seen).containsExactly("done", "refused");
        assertThat(f.trail()).contains("feedback/recorded", "feedback/failed");
    }

    @Test
    void concurrentRunsOfOneIntentPayOnce() throws Exception {
        fixture();
        AtomicInteger signed = new AtomicInteger();
        SpendIntent intent = f.intent("i-26", "0.30").build();
        List<Outcome<String>> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofVirtual().start(() -> outcomes.add(f.chain.run(purchase(intent, 300_000, signed)))));
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(signed).hasValue(1);
        assertThat(outcomes.stream().filter(Outcome::succeeded)).hasSize(1);
        assertThat(outcomes.stream().filter(o -> o instanceof Outcome.Replayed)).hasSize(7);
    }

    @Test
    void theDecisionIsInTheExchangeForLaterSteps() {
        AtomicReference<Decision> seen = new AtomicReference<>();
        f = new ChainFixture(dir, b -> b.addAfter("reserve", new Step() {
            @Override
            public String name() {
                return "peek";
            }

            @Override
            public EntryKind kind(Exchange<?> exchange) {
                return EntryKind.TOOL_CALL;
            }

            @Override
            public <T> Outcome<T> apply(Exchange<T> exchange, Next<T> next) {
                seen.set(exchange.decision().orElseThrow());
                return next.proceed();
            }
        }));

        f.chain.run(purchase(f.intent("i-27", "0.30").build(), 1, new AtomicInteger()));

        assertThat(seen.get()).isInstanceOfSatisfying(Decision.Allow.class,
                a -> assertThat(a.ruleIds()).containsExactly("x402"));
    }

    @Test
    void reserveRequestsOfTheChainUseTheConfiguredTtl() {
        fixture();
        f.chain.run(purchase(f.intent("i-28", "0.30").build(), 1, new AtomicInteger()));

        Reservation r = f.ledger.find("i-28").orElseThrow();
        assertThat(Duration.between(r.createdAt(), r.expiresAt())).isEqualTo(Duration.ofMinutes(5));
        assertThat(new ReserveRequest("x", f.usdc("1"), List.of(), Duration.ofMinutes(5)).ttl()).isEqualTo(r.ttl());
    }
}
