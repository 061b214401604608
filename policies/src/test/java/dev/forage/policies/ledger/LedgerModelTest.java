package dev.forage.policies.ledger;

import static dev.forage.policies.testing.Fixtures.USDC;
import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.IdempotencyConflictException;
import dev.forage.policies.Money;
import dev.forage.policies.ledger.Reservation.State;
import dev.forage.policies.ledger.ResolveResult.Refusal;
import dev.forage.policies.spi.LedgerStore;
import dev.forage.policies.testing.Cases;
import dev.forage.policies.testing.MutableClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stateful property test: random sequences of reserve, post, void, time passing (expiry,
 * window and day boundaries), reopening, duplicate and conflicting ids, checked step by step
 * against {@link LedgerModel}. A failure names its seed and the actions up to the one that failed.
 */
class LedgerModelTest {

    static final List<BudgetLine> LINES = List.of(
            BudgetLine.of("daily", usdc("10"), new BudgetWindow.Calendar(BudgetWindow.Period.DAY, ZoneId.of("UTC"))),
            BudgetLine.of("total", usdc("25"), new BudgetWindow.Lifetime()),
            BudgetLine.of("hourly", usdc("6"), new BudgetWindow.Rolling(Duration.ofHours(1))),
            new BudgetLine("per_provider", "provider-a", usdc("4"), new BudgetWindow.Lifetime()));

    static final class World {
        // Starts late in the day, so sequences cross midnight and the rolling hour.
        final MutableClock clock = MutableClock.at("2026-03-02T23:20:00Z");
        final LedgerStore store = LedgerStore.inMemory();
        final LedgerModel model = new LedgerModel();
        BudgetLedger ledger = BudgetLedger.open(store, clock);

        static List<BudgetLine> lines(int mask) {
            List<BudgetLine> out = new ArrayList<>();
            for (int i = 0; i < LINES.size(); i++) {
                if ((mask & (1 << i)) != 0) {
                    out.add(LINES.get(i));
                }
            }
            return out;
        }

        void reserve(String id, int cents, int mask, int ttlSeconds) {
            Instant now = clock.instant();
            model.expire(now);
            ReserveRequest req = new ReserveRequest(id, Money.ofUnits(USDC, cents * 10_000L), lines(mask),
                    Duration.ofSeconds(ttlSeconds));
            LedgerModel.Res existing = model.byId.get(id);
            if (existing != null) {
                boolean same = existing.amount.equals(req.amount().units()) && existing.ttl.equals(req.ttl())
                        && refs(existing.lines).equals(refs(req.budgets()));
                if (!same) {
                    assertThatThrownBy(() -> ledger.reserve(req)).isInstanceOf(IdempotencyConflictException.class);
                    return;
                }
                ReserveResult r = ledger.reserve(req);
                assertThat(r).isInstanceOf(ReserveResult.Reserved.class);
                assertMatches(((ReserveResult.Reserved) r).reservation(), existing);
                return;
            }
            BudgetLine exceeded = null;
            for (BudgetLine line : req.budgets()) {
                BigInteger[] u = model.usage(line, now);
                if (u[0].add(u[1]).add(req.amount().units()).compareTo(line.limit().units()) > 0) {
                    exceeded = line;
                    break;
                }
            }
            ReserveResult r = ledger.reserve(req);
            if (exceeded != null) {
                assertThat(r).isInstanceOf(ReserveResult.Exceeded.class);
                assertThat(((ReserveResult.Exceeded) r).budget()).isEqualTo(exceeded);
            } else {
                assertThat(r).isInstanceOf(ReserveResult.Reserved.class);
                LedgerModel.Res created = new LedgerModel.Res(id, req.amount().units(), req.budgets(), req.ttl(), now);
                model.byId.put(id, created);
                assertMatches(((ReserveResult.Reserved) r).reservation(), created);
            }
        }

        void post(String id, int percent) {
            model.expire(clock.instant());
            LedgerModel.Res m = model.byId.get(id);
            BigInteger units = m == null ? BigInteger.valueOf(10_000) : m.amount.multiply(BigInteger.valueOf(percent)).divide(BigInteger.valueOf(100));
            Money actual = Money.ofUnits(USDC, units);
            if (m == null) {
                assertThat(refusal(ledger.post(id, actual))).isEqualTo(Refusal.NOT_FOUND);
                return;
            }
            switch (m.state) {
                case PENDING -> {
                    ResolveResult r = ledger.post(id, actual);
                    if (units.compareTo(m.amount) > 0) {
                        assertThat(refusal(r)).isEqualTo(Refusal.EXCEEDS_RESERVED);
                    } else {
                        assertThat(r).isInstanceOf(ResolveResult.Posted.class);
                        m.state = State.POSTED;
                        m.posted = units;
                    }
                }
                case POSTED -> {
                    if (units.equals(m.posted)) {
                        assertThat(ledger.post(id, actual)).isInstanceOf(ResolveResult.Posted.class);
                    } else {
                        assertThatThrownBy(() -> ledger.post(id, actual)).isInstanceOf(IdempotencyConflictException.class);
                    }
                }
                case VOIDED -> assertThat(refusal(ledger.post(id, actual))).isEqualTo(Refusal.ALREADY_VOIDED);
                case EXPIRED -> assertThat(refusal(ledger.post(id, actual))).isEqualTo(Refusal.EXPIRED);
            }
        }

        void voidIt(String id) {
            model.expire(clock.instant());
            LedgerModel.Res m = model.byId.get(id);
            ResolveResult r = ledger.voidReservation(id);
            if (m == null) {
                assertThat(refusal(r)).isEqualTo(Refusal.NOT_FOUND);
                return;
            }
            switch (m.state) {
                case PENDING, VOIDED -> {
                    assertThat(r).isInstanceOf(ResolveResult.Voided.class);
                    m.state = State.VOIDED;
                }
                case POSTED -> assertThat(refusal(r)).isEqualTo(Refusal.ALREADY_POSTED);
                case EXPIRED -> assertThat(refusal(r)).isEqualTo(Refusal.EXPIRED);
            }
        }

        void advance(int seconds) {
            clock.advance(Duration.ofSeconds(seconds));
        }

        void reopen() {
            ledger.close();
            ledger = BudgetLedger.open(store, clock);
        }

        void checkInvariants() {
            Instant now = clock.instant();
            model.expire(now);
            for (BudgetLine line : LINES) {
                BudgetUsage u = ledger.usage(line);
                BigInteger[] expected = model.usage(line, now);
                assertThat(u.reserved().units()).as("reserved in %s", u.account()).isEqualTo(expected[0]);
                assertThat(u.spent().units()).as("spent in %s", u.account()).isEqualTo(expected[1]);
                assertThat(u.spent().plus(u.reserved()).units()).as("usage of %s", u.account())
                        .isLessThanOrEqualTo(line.limit().units());
            }
            for (LedgerModel.Res m : model.byId.values()) {
                Reservation r = ledger.find(m.id).orElseThrow();
                assertThat(r.state()).as("state of %s", m.id).isEqualTo(m.state);
                assertThat(r.posted().units()).isEqualTo(m.posted);
            }
        }

        private static void assertMatches(Reservation r, LedgerModel.Res m) {
            assertThat(r.intentId()).isEqualTo(m.id);
            assertThat(r.amount().units()).isEqualTo(m.amount);
            assertThat(r.createdAt()).isEqualTo(m.createdAt);
            assertThat(r.expiresAt()).isEqualTo(m.expiresAt);
        }

        private static List<String> refs(List<BudgetLine> lines) {
            return lines.stream().map(BudgetLine::ref).sorted().toList();
        }

        private static Refusal refusal(ResolveResult r) {
            assertThat(r).isInstanceOf(ResolveResult.Refused.class);
            return ((ResolveResult.Refused) r).refusal();
        }
    }

    /** One step of a sequence, applied to the world and checked against the model. */
    sealed interface Action {
        void apply(World w);
    }

    record Reserve(String id, int cents, int mask, int ttl) implements Action {
        public void apply(World w) {
            w.reserve(id, cents, mask, ttl);
        }

        @Override
        public String toString() {
            return "reserve " + id + " " + cents + "c lines " + mask + " ttl " + ttl + "s";
        }
    }

    record Post(String id, int percent) implements Action {
        public void apply(World w) {
            w.post(id, percent);
        }

        @Override
        public String toString() {
            return "post " + id + " " + percent + "%";
        }
    }

    record VoidIt(String id) implements Action {
        public void apply(World w) {
            w.voidIt(id);
        }

        @Override
        public String toString() {
            return "void " + id;
        }
    }

    record Advance(int seconds) implements Action {
        public void apply(World w) {
            w.advance(seconds);
        }

        @Override
        public String toString() {
            return "advance " + seconds + "s";
        }
    }

    record Reopen() implements Action {
        public void apply(World w) {
            w.reopen();
        }

        @Override
        public String toString() {
            return "reopen";
        }
    }

    static final int ACTIONS = 60;
    private static final List<String> IDS = List.of("i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7");

    private static <T> T oneOf(RandomGenerator random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** One action, weighted reserve 5, post 3, void 2, advance 2, reopen 1. */
    static Action action(RandomGenerator random) {
        int pick = random.nextInt(13);
        if (pick < 5) {
            return new Reserve(oneOf(random, IDS), random.nextInt(1, 501), random.nextInt(16), oneOf(random, List.of(30, 300, 900)));
        } else if (pick < 8) {
            return new Post(oneOf(random, IDS), oneOf(random, List.of(0, 50, 100, 101)));
        } else if (pick < 10) {
            return new VoidIt(oneOf(random, IDS));
        } else if (pick < 12) {
            return new Advance(oneOf(random, List.of(1, 29, 60, 600, 1800)));
        }
        return new Reopen();
    }

    static LongStream the_ledger_behaves_like_the_model() {
        return Cases.seeds(200);
    }

    /** {@value #ACTIONS} random actions per case; after each, usage and states match the model, never over a limit. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void the_ledger_behaves_like_the_model(long seed) {
        RandomGenerator random = Cases.random(seed);
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < ACTIONS; i++) {
            actions.add(action(random));
        }
        World world = new World();
        int[] done = {0};
        Cases.check(seed, () -> "actions " + actions.subList(0, done[0]) + " (the last one failed)", () -> {
            for (Action action : actions) {
                done[0]++;
                action.apply(world);
                world.checkInvariants();
            }
        });
    }
}
