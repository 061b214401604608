package dev.forage.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.Context;
import dev.forage.policies.Money;
import dev.forage.policies.SpendIntent;
import dev.forage.policies.ledger.Reservation;
import dev.forage.runtime.audit.AuditEntry;
import dev.forage.runtime.audit.EntryKind;
import dev.forage.runtime.audit.SubjectKind;
import dev.forage.tools.settle.PaymentGuards;
import dev.forage.tools.x402.X402Exception;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model test of the governed chain: random runs of new intents, replays, expiries during a
 * payment, payment failures before and after the signature (some of which moved money, some
 * not) and audit outages before and after money moved. After every run the simulated chain's
 * transfers, the ledger's postings and the audit entries must agree exactly, and the budget
 * must hold.
 *
 * <p>{@code -Dforage.cases.multiplier=N} runs N times as many seeds; a failure names its seed
 * and the operation, and {@code -Dforage.cases.seed=S} replays one seed.
 */
class GovernedChainModelTest {

    private static final int SEEDS = 40;
    private static final int RUNS_PER_SEED = 40;

    @TempDir
    Path dir;

    static Stream<Long> seeds() {
        Long one = Long.getLong("forage.cases.seed");
        if (one != null) {
            return Stream.of(one);
        }
        int n = SEEDS * Integer.getInteger("forage.cases.multiplier", 1);
        return LongStream.range(0, n).map(i -> 0x9E3779B97F4A7C15L * (i + 1)).boxed();
    }

    /** What the execution does in one run. */
    private enum Mode {
        /** Pays and returns. */
        PAYS,
        /** Fails before asking for a signature. */
        FAILS_BEFORE_SIGNING,
        /** Is refused by the server after the signature: nothing moved. */
        REFUSED_AFTER_SIGNING,
        /** Loses the connection after the signature, and the money moved. */
        LOST_AFTER_PAYING,
        /** Loses the connection after the signature, and the money did not move. */
        LOST_BEFORE_PAYING,
        /** Pays, but so slowly that the reservation expires first. */
        PAYS_TOO_LATE,
        /** Bills more than was reserved. */
        OVERBILLS
    }

    /** The simulated token: one transfer per intent id at most (as an EIP-3009 nonce per intent). */
    private static final class SimulatedChain {
        final Map<String, BigInteger> transfers = new HashMap<>();
        int doubleSpendAttempts;

        void transfer(String intentId, BigInteger units) {
            if (transfers.putIfAbsent(intentId, units) != null) {
                doubleSpendAttempts++;
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void transfersPostingsAndAuditEntriesAgree(long seed) throws Exception {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        Path run = Files.createTempDirectory(dir, "seed");
        try (ChainFixture f = new ChainFixture(run)) {
            SimulatedChain chain = new SimulatedChain();
            Map<String, SpendIntent> intents = new HashMap<>();
            Map<String, Outcome<String>> decisive = new HashMap<>();
            List<String> history = new ArrayList<>();
            for (int step = 0; step < RUNS_PER_SEED; step++) {
                SpendIntent intent;
                if (!intents.isEmpty() && random.nextInt(4) == 0) {
                    List<String> ids = new ArrayList<>(intents.keySet());
                    ids.sort(null);
                    intent = intents.get(ids.get(random.nextInt(ids.size())));
                } else {
                    // Amounts up to 0.40 USDC (no approval needed), against a 1 USDC daily budget.
                    long units = 10_000 * (1 + random.nextInt(40));
                    intent = f.intent("m-" + step, "0").amount(Money.ofUnits(f.usdc, units)).time(f.clock.instant()).build();
                    intents.put(intent.id(), intent);
                }
                Mode mode = Mode.values()[random.nextInt(Mode.values().length)];
                int outage = random.nextInt(6); // 0: before money moves, 1: after, else none
                if (outage == 0) {
                    f.audit.failWhen(e -> e.kind() == EntryKind.BUDGET_RESERVE);
                } else if (outage == 1) {
                    f.audit.failWhen(e -> e.kind() == EntryKind.SETTLEMENT_TX || e.kind() == EntryKind.BUDGET_POST);
                }
                String op = "step " + step + ": " + intent.id() + " " + intent.amount() + " " + mode + " outage " + outage;
                history.add(op);
                Outcome<String> outcome = f.chain.run(execution(f, chain, intent, mode));
                if (!(outcome instanceof Outcome.Replayed || outcome instanceof Outcome.ReplayRefused)) {
                    decisive.put(intent.id(), outcome);
                }
                f.audit.heal();
                f.chain.flushAuditBacklog();
                if (random.nextInt(5) == 0) {
                    f.clock.advance(Duration.ofHours(random.nextInt(30)));
                }
                try {
                    checkAgreement(f, chain, intents, decisive);
                } catch (AssertionError e) {
                    throw new AssertionError("seed " + seed + " (replay with -Dforage.cases.seed=" + seed + "), after "
                            + op + ", history " + history + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static Action<String> execution(ChainFixture f, SimulatedChain chain, SpendIntent intent, Mode mode) {
        return Action.purchase(intent, Context.empty(), spend -> {
            BigInteger units = spend.amount().units();
            if (mode == Mode.FAILS_BEFORE_SIGNING) {
                throw new X402Exception(X402Exception.Reason.TRANSPORT, "connection refused before the 402");
            }
            PaymentGuards.require(f.guard, f.request(spend.id(), ChainFixture.PROVIDER, ChainFixture.TOKEN, units.longValueExact()));
            switch (mode) {
                case REFUSED_AFTER_SIGNING -> throw new X402Exception(X402Exception.Reason.PAYMENT_REJECTED, "insufficient_funds");
                case LOST_BEFORE_PAYING -> throw new X402Exception(X402Exception.Reason.TRANSPORT, "reset before settlement");
                case LOST_AFTER_PAYING -> {
                    chain.transfer(spend.id(), units);
                    throw new X402Exception(X402Exception.Reason.TRANSPORT, "reset after settlement");
                }
                case PAYS_TOO_LATE -> {
                    chain.transfer(spend.id(), units);
                    f.clock.advance(Duration.ofMinutes(6));
                }
                case OVERBILLS -> {
                    chain.transfer(spend.id(), units.add(BigInteger.ONE));
                    return Executed.paid("body", Paid.of(Money.ofUnits(f.usdc, units.add(BigInteger.ONE)), "0x" + spend.id()));
                }
                default -> chain.transfer(spend.id(), units);
            }
            return Executed.paid("body", Paid.of(Money.ofUnits(f.usdc, units), "0x" + spend.id()));
        });
    }

    private static void checkAgreement(ChainFixture f, SimulatedChain chain, Map<String, SpendIntent> intents,
            Map<String, Outcome<String>> decisive) {
        assertThat(chain.doubleSpendAttempts).as("a second transfer for one intent").isZero();
        assertThat(f.chain.auditBacklog()).as("audit backlog after healing").isZero();
        assertThat(f.ledger.pending()).as("no reservation left pending").isEmpty();
        List<AuditEntry> entries = LongStream.range(0, f.audit.size()).mapToObj(f.audit::entry).toList();
        Map<String, Long> reported = new HashMap<>();
        f.chain.discrepancies().open().forEach(d -> reported.merge(d.intentId(), 1L, Long::sum));
        for (SpendIntent intent : intents.values()) {
            String id = intent.id();
            BigInteger moved = chain.transfers.get(id);
            java.util.Optional<Reservation> reservation = f.ledger.find(id);
            List<AuditEntry> mine = entries.stream().filter(e -> id.equals(e.subjects().get(SubjectKind.INTENT))).toList();
            long paid = count(mine, EntryKind.SETTLEMENT_TX, "paid");
            long doubt = count(mine, EntryKind.SETTLEMENT_TX, "in_doubt");
            long posted = count(mine, EntryKind.BUDGET_POST, "posted");
            long postedInDoubt = count(mine, EntryKind.BUDGET_POST, "posted_in_doubt");
            long refusedAfterPayment = count(mine, EntryKind.BUDGET_POST, "refused_after_payment");
            long signatures = count(mine, EntryKind.PAYMENT_GUARD, "allowed");
            assertThat(signatures).as("%s: signatures allowed", id).isLessThanOrEqualTo(1);
            assertThat(paid + doubt).as("%s: payment entries", id).isLessThanOrEqualTo(1);
            assertThat(posted + postedInDoubt).as("%s: posting entries", id).isLessThanOrEqualTo(1);
            Outcome<String> outcome = decisive.get(id);
            BigInteger postedUnits = reservation.filter(r -> r.state() == Reservation.State.POSTED)
                    .map(r -> r.posted().units()).orElse(null);
            switch (outcome) {
                case Outcome.Done<String> done -> {
                    assertThat(moved).as("%s: done has its transfer", id).isNotNull();
                    assertThat(postedUnits).as("%s: posted equals transferred", id).isEqualTo(moved);
                    assertThat(paid).as("%s: done has its paid entry", id).isEqualTo(1);
                    assertThat(posted).as("%s: done has its posted entry", id).isEqualTo(1);
                    assertThat(reported).as("%s: done is not a discrepancy", id).doesNotContainKey(id);
                }
                case Outcome.InDoubt<String> inDoubt -> {
                    assertThat(postedUnits).as("%s: in doubt posts the whole reservation", id)
                            .isEqualTo(reservation.orElseThrow().amount().units());
                    assertThat(moved == null ? BigInteger.ZERO : moved).as("%s: never more moved than posted", id)
                            .isLessThanOrEqualTo(postedUnits);
                    assertThat(doubt).as("%s: in doubt entry", id).isEqualTo(1);
                    assertThat(postedInDoubt).as("%s: posted in doubt entry", id).isEqualTo(1);
                    assertThat(reported).as("%s: in doubt is reported", id).containsKey(id);
                }
                case Outcome.Discrepancy<String> d -> {
                    assertThat(moved).as("%s: a discrepancy moved money", id).isNotNull();
                    assertThat(paid).as("%s: its paid entry", id).isEqualTo(1);
                    assertThat(reported).as("%s: reported", id).containsKey(id);
                    if (postedUnits != null) {
                        assertThat(postedUnits).as("%s: posted what was reserved, less than moved", id).isLessThan(moved);
                        assertThat(posted).isEqualTo(1);
                    } else {
                        assertThat(refusedAfterPayment).as("%s: the refused post is recorded", id).isEqualTo(1);
                    }
                }
                default -> {
                    assertThat(moved).as("%s: %s moved nothing", id, outcome.wireName()).isNull();
                    assertThat(postedUnits).as("%s: %s posted nothing", id, outcome.wireName()).isNull();
                    assertThat(paid + doubt + posted + postedInDoubt).as("%s: no payment or posting entries", id).isZero();
                }
            }
        }
        // Whatever happened, the books of the current window never exceed the budget.
        f.engine.budgetsFor(intents.values().iterator().next()).forEach(line ->
                assertThat(f.ledger.usage(line).spent().units()).as("spent in the current window")
                        .isLessThanOrEqualTo(line.limit().units()));
    }

    private static long count(List<AuditEntry> entries, EntryKind kind, String result) {
        return entries.stream().filter(e -> e.kind() == kind && e.payload().path("result").asText().equals(result)).count();
    }
}
