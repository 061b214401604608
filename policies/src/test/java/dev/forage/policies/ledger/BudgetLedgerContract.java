package dev.forage.policies.ledger;

import static dev.forage.policies.testing.Fixtures.ETH;
import static dev.forage.policies.testing.Fixtures.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.IdempotencyConflictException;
import dev.forage.policies.InvalidValueException;
import dev.forage.policies.LedgerUnavailableException;
import dev.forage.policies.Money;
import dev.forage.policies.ledger.Reservation.State;
import dev.forage.policies.ledger.ResolveResult.Refusal;
import dev.forage.policies.spi.LedgerStore;
import dev.forage.policies.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BudgetLedger} has, whatever its {@link LedgerStore}. Each store
 * implementation runs it by subclassing.
 */
abstract class BudgetLedgerContract {

    static final Duration TTL = Duration.ofMinutes(10);
    static final BudgetLine DAILY = BudgetLine.of("daily", usdc("10"),
            new BudgetWindow.Calendar(BudgetWindow.Period.DAY, ZoneId.of("UTC")));
    static final BudgetLine TOTAL = BudgetLine.of("total", usdc("100"), new BudgetWindow.Lifetime());
    static final BudgetLine HOURLY = BudgetLine.of("hourly", usdc("5"), new BudgetWindow.Rolling(Duration.ofHours(1)));

    final MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
    BudgetLedger ledger;

    /** A store over the same durable location every time it is called. */
    abstract LedgerStore openStore();

    @BeforeEach
    void open() {
        ledger = BudgetLedger.open(openStore(), clock);
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    void reopen() {
        ledger.close();
        ledger = BudgetLedger.open(openStore(), clock);
    }

    static ReserveRequest request(String id, String amount, BudgetLine... lines) {
        return new ReserveRequest(id, usdc(amount), List.of(lines), TTL);
    }

    Reservation reserved(String id, String amount, BudgetLine... lines) {
        ReserveResult r = ledger.reserve(request(id, amount, lines));
        assertThat(r).isInstanceOf(ReserveResult.Reserved.class);
        return ((ReserveResult.Reserved) r).reservation();
    }

    @Test
    void a_reservation_counts_against_every_budget_until_resolved() {
        Reservation r = reserved("i1", "4", DAILY, TOTAL);

        assertThat(r.state()).isEqualTo(State.PENDING);
        assertThat(r.createdAt()).isEqualTo(clock.instant());
        assertThat(r.expiresAt()).isEqualTo(clock.instant().plus(TTL));
        assertThat(r.accounts()).containsExactly("daily@2026-03-02T00:00:00Z", "total");
        assertThat(ledger.usage(DAILY)).isEqualTo(new BudgetUsage("daily@2026-03-02T00:00:00Z", usdc("10"), usdc("0"), usdc("4")));
        assertThat(ledger.usage(DAILY).remaining()).isEqualTo(usdc("6"));
        assertThat(ledger.usage(TOTAL).reserved()).isEqualTo(usdc("4"));
        assertThat(ledger.pending()).containsExactly(r);
        assertThat(ledger.find("i1")).contains(r);
    }

    @Test
    void a_reservation_that_would_exceed_any_budget_reserves_nothing() {
        reserved("i1", "8", DAILY, TOTAL);

        ReserveResult r = ledger.reserve(request("i2", "3", TOTAL, DAILY));

        assertThat(r).isInstanceOf(ReserveResult.Exceeded.class);
        ReserveResult.Exceeded e = (ReserveResult.Exceeded) r;
        assertThat(e.budget()).isEqualTo(DAILY);
        assertThat(e.usage().remaining()).isEqualTo(usdc("2"));
        assertThat(e.describe()).contains("would exceed budget daily (limit 10.00 USDC, spent 0.00 USDC, reserved 8.00 USDC");
        assertThat(ledger.usage(TOTAL).reserved()).isEqualTo(usdc("8"));
        assertThat(ledger.find("i2")).isEmpty();
        // Exactly up to the limit is fine.
        assertThat(ledger.reserve(request("i3", "2", TOTAL, DAILY))).isInstanceOf(ReserveResult.Reserved.class);
        assertThat(ledger.reserve(request("i4", "11", TOTAL))).isInstanceOf(ReserveResult.Reserved.class);
        assertThat(ledger.reserve(request("i5", "11", DAILY))).isInstanceOf(ReserveResult.Exceeded.class);
    }

    @Test
    void a_post_spends_the_actual_amount_and_releases_the_rest() {
        reserved("i1", "4", DAILY, TOTAL);
        clock.advance(Duration.ofSeconds(3));

        ResolveResult r = ledger.post("i1", usdc("2.75"));

        assertThat(r).isInstanceOf(ResolveResult.Posted.class);
        Reservation posted = ((ResolveResult.Posted) r).reservation();
        assertThat(posted.state()).isEqualTo(State.POSTED);
        assertThat(posted.posted()).isEqualTo(usdc("2.75"));
        assertThat(posted.resolvedAt()).contains(clock.instant());
        assertThat(ledger.usage(DAILY)).extracting(BudgetUsage::spent, BudgetUsage::reserved)
                .containsExactly(usdc("2.75"), usdc("0"));
        assertThat(ledger.usage(TOTAL).spent()).isEqualTo(usdc("2.75"));
        assertThat(ledger.pending()).isEmpty();
    }

    @Test
    void a_post_of_more_than_was_reserved_is_refused_and_changes_nothing() {
        reserved("i1", "4", DAILY);

        ResolveResult r = ledger.post("i1", usdc("4.01"));

        assertThat(r).isInstanceOf(ResolveResult.Refused.class)
                .extracting(x -> ((ResolveResult.Refused) x).refusal()).isEqualTo(Refusal.EXCEEDS_RESERVED);
        assertThat(ledger.usage(DAILY).reserved()).isEqualTo(usdc("4"));
        assertThat(ledger.post("i1", usdc("4"))).isInstanceOf(ResolveResult.Posted.class);
    }

    @Test
    void a_void_releases_everything() {
        reserved("i1", "4", DAILY);

        ResolveResult r = ledger.voidReservation("i1");

        assertThat(r).isInstanceOf(ResolveResult.Voided.class);
        assertThat(ledger.usage(DAILY)).extracting(BudgetUsage::spent, BudgetUsage::reserved)
                .containsExactly(usdc("0"), usdc("0"));
        assertThat(ledger.voidReservation("i1")).isEqualTo(r);
        assertThat(ledger.post("i1", usdc("1"))).isEqualTo(
                new ResolveResult.Refused("i1", Refusal.ALREADY_VOIDED, ledger.find("i1")));
    }

    @Test
    void a_reservation_expires_at_its_ttl_and_then_cannot_be_resolved() {
        reserved("i1", "4", DAILY);
        clock.advance(TTL.minusMillis(1));
        assertThat(ledger.usage(DAILY).reserved()).isEqualTo(usdc("4"));

        clock.advance(Duration.ofMillis(1));

        assertThat(ledger.expireDue()).isEqualTo(1);
        assertThat(ledger.usage(DAILY).reserved()).isEqualTo(usdc("0"));
        assertThat(ledger.find("i1").orElseThrow().state()).isEqualTo(State.EXPIRED);
        assertThat(ledger.find("i1").orElseThrow().resolvedAt()).contains(clock.instant());
        assertThat(((ResolveResult.Refused) ledger.post("i1", usdc("1"))).refusal()).isEqualTo(Refusal.EXPIRED);
        assertThat(((ResolveResult.Refused) ledger.voidReservation("i1")).refusal()).isEqualTo(Refusal.EXPIRED);
    }

    @Test
    void expiry_happens_on_any_call_even_without_expire_due() {
        reserved("i1", "10", DAILY);
        clock.advance(TTL);

        assertThat(ledger.reserve(request("i2", "10", DAILY))).isInstanceOf(ReserveResult.Reserved.class);
    }

    @Test
    void repeating_a_call_with_the_same_id_and_arguments_returns_the_first_result() {
        Reservation first = reserved("i1", "4", DAILY, TOTAL);
        clock.advance(Duration.ofSeconds(1));

        ReserveResult again = ledger.reserve(request("i1", "4", TOTAL, DAILY));
        ResolveResult posted = ledger.post("i1", usdc("3"));
        ResolveResult postedAgain = ledger.post("i1", usdc("3"));

        assertThat(again).isEqualTo(new ReserveResult.Reserved(first));
        assertThat(ledger.usage(DAILY).reserved()).isEqualTo(usdc("0"));
        assertThat(postedAgain).isEqualTo(posted);
        assertThat(ledger.usage(DAILY).spent()).isEqualTo(usdc("3"));
        assertThat(((ReserveResult.Reserved) ledger.reserve(request("i1", "4", DAILY, TOTAL))).reservation().state())
                .isEqualTo(State.POSTED);
    }

    @Test
    void the_same_id_with_different_arguments_is_rejected() {
        reserved("i1", "4", DAILY);

        assertThatThrownBy(() -> ledger.reserve(request("i1", "5", DAILY)))
                .isInstanceOf(IdempotencyConflictException.class)
                .hasMessageContaining("amount 4.00 USDC then 5.00 USDC");
        assertThatThrownBy(() -> ledger.reserve(request("i1", "4", DAILY, TOTAL)))
                .isInstanceOf(IdempotencyConflictException.class).hasMessageContaining("budgets [daily] then");
        assertThatThrownBy(() -> ledger.reserve(new ReserveRequest("i1", usdc("4"), List.of(DAILY), TTL.plusSeconds(1))))
                .isInstanceOf(IdempotencyConflictException.class).hasMessageContaining("ttl");
        ledger.post("i1", usdc("3"));
        assertThatThrownBy(() -> ledger.post("i1", usdc("2")))
                .isInstanceOf(IdempotencyConflictException.class)
                .hasMessageContaining("already posted 3.00 USDC, now asked to post 2.00 USDC")
                .satisfies(e -> assertThat(((IdempotencyConflictException) e).intentId()).isEqualTo("i1"));
        assertThat(ledger.usage(DAILY).spent()).isEqualTo(usdc("3"));
    }

    @Test
    void each_reservation_resolves_at_most_once() {
        reserved("i1", "4", DAILY);
        reserved("i2", "4", DAILY);
        ledger.post("i1", usdc("1"));
        ledger.voidReservation("i2");

        assertThat(((ResolveResult.Refused) ledger.voidReservation("i1")).refusal()).isEqualTo(Refusal.ALREADY_POSTED);
        assertThat(((ResolveResult.Refused) ledger.post("i2", usdc("1"))).refusal()).isEqualTo(Refusal.ALREADY_VOIDED);
        assertThat(((ResolveResult.Refused) ledger.post("nope", usdc("1"))).refusal()).isEqualTo(Refusal.NOT_FOUND);
        assertThat(((ResolveResult.Refused) ledger.voidReservation("nope")).refusal()).isEqualTo(Refusal.NOT_FOUND);
        assertThat(ledger.usage(DAILY).spent()).isEqualTo(usdc("1"));
    }

    @Test
    void a_rolling_window_forgets_spend_once_it_is_older_than_the_window() {
        reserved("i1", "3", HOURLY);
        ledger.post("i1", usdc("3"));
        clock.advance(Duration.ofMinutes(30));
        reserved("i2", "2", HOURLY);
        ledger.post("i2", usdc("2"));
        assertThat(ledger.reserve(request("i3", "0.01", HOURLY))).isInstanceOf(ReserveResult.Exceeded.class);

        clock.advance(Duration.ofMinutes(30));

        assertThat(ledger.usage(HOURLY).spent()).isEqualTo(usdc("2"));
        assertThat(ledger.reserve(request("i3", "3", HOURLY))).isInstanceOf(ReserveResult.Reserved.class);
    }

    @Test
    void a_calendar_window_starts_afresh_each_period() {
        reserved("i1", "10", DAILY);
        ledger.post("i1", usdc("10"));
        clock.set(Instant.parse("2026-03-02T23:59:59.999Z"));
        assertThat(ledger.reserve(request("i2", "1", DAILY))).isInstanceOf(ReserveResult.Exceeded.class);

        clock.set(Instant.parse("2026-03-03T00:00:00Z"));

        assertThat(ledger.usage(DAILY).account()).isEqualTo("daily@2026-03-03T00:00:00Z");
        assertThat(ledger.usage(DAILY).spent()).isEqualTo(usdc("0"));
        assertThat(ledger.reserve(request("i2", "10", DAILY))).isInstanceOf(ReserveResult.Reserved.class);
    }

    @Test
    void split_budgets_keep_one_account_per_value() {
        BudgetLine a = new BudgetLine("per_provider", "provider-a", usdc("5"), new BudgetWindow.Lifetime());
        BudgetLine b = new BudgetLine("per_provider", "provider-b", usdc("5"), new BudgetWindow.Lifetime());
        reserved("i1", "5", a);

        assertThat(ledger.reserve(request("i2", "1", a))).isInstanceOf(ReserveResult.Exceeded.class);
        assertThat(ledger.reserve(request("i3", "5", b))).isInstanceOf(ReserveResult.Reserved.class);
        assertThat(ledger.usage(a).account()).isEqualTo("per_provider[provider-a]");
    }

    @Test
    void an_intent_under_no_budget_is_still_recorded_and_resolved_once() {
        reserved("i1", "1000");

        assertThat(ledger.post("i1", usdc("999"))).isInstanceOf(ResolveResult.Posted.class);
        assertThat(ledger.voidReservation("i1")).isInstanceOf(ResolveResult.Refused.class);
    }

    @Test
    void amounts_in_another_asset_are_rejected() {
        reserved("i1", "4", DAILY);

        assertThatThrownBy(() -> ledger.post("i1", Money.of(ETH, "1")))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("post in the reserved asset");
        assertThatThrownBy(() -> new ReserveRequest("i2", Money.of(ETH, "1"), List.of(DAILY), TTL))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("budget lines must match");
        assertThatThrownBy(() -> new ReserveRequest("i2", usdc("1"), List.of(DAILY, DAILY), TTL))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> new ReserveRequest("i2", usdc("1"), List.of(), Duration.ZERO))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("ttl");
    }

    @Test
    void reopening_recovers_posted_entries_and_pending_reservations_with_their_expiry() {
        Reservation pending = reserved("pending", "3", DAILY, TOTAL);
        reserved("posted", "4", DAILY, HOURLY);
        ledger.post("posted", usdc("3.5"));
        reserved("voided", "1", DAILY);
        ledger.voidReservation("voided");
        reserved("short", "1", DAILY);
        clock.advance(Duration.ofMinutes(4));

        reopen();

        assertThat(ledger.find("pending")).contains(pending);
        assertThat(ledger.find("posted").orElseThrow().posted()).isEqualTo(usdc("3.5"));
        assertThat(ledger.find("voided").orElseThrow().state()).isEqualTo(State.VOIDED);
        assertThat(ledger.usage(DAILY)).extracting(BudgetUsage::spent, BudgetUsage::reserved)
                .containsExactly(usdc("3.5"), usdc("4"));
        assertThat(ledger.usage(HOURLY).spent()).isEqualTo(usdc("3.5"));
        assertThat(ledger.usage(TOTAL).reserved()).isEqualTo(usdc("3"));
        // The remaining TTL is what was left: 6 minutes.
        clock.advance(Duration.ofMinutes(6).minusMillis(1));
        assertThat(ledger.find("pending").orElseThrow().state()).isEqualTo(State.PENDING);
        clock.advance(Duration.ofMillis(1));
        assertThat(ledger.find("pending").orElseThrow().state()).isEqualTo(State.EXPIRED);
        assertThat(ledger.post("posted", usdc("3.5"))).isInstanceOf(ResolveResult.Posted.class);
    }

    @Test
    void reservations_that_expired_while_closed_are_expired_on_reopen() {
        reserved("i1", "3", DAILY);
        ledger.close();
        clock.advance(TTL.plusSeconds(1));

        ledger = BudgetLedger.open(openStore(), clock);

        assertThat(ledger.find("i1").orElseThrow().state()).isEqualTo(State.EXPIRED);
        assertThat(ledger.usage(DAILY).reserved()).isEqualTo(usdc("0"));
        reopen();
        assertThat(ledger.find("i1").orElseThrow().state()).isEqualTo(State.EXPIRED);
    }

    @Test
    void a_closed_ledger_refuses_every_call() {
        ledger.close();

        assertThatThrownBy(() -> ledger.reserve(request("i1", "1", DAILY)))
                .isInstanceOf(LedgerUnavailableException.class).hasMessageContaining("closed")
                .satisfies(e -> assertThat(((LedgerUnavailableException) e).retriable()).isTrue());
        assertThatThrownBy(() -> ledger.usage(DAILY)).isInstanceOf(LedgerUnavailableException.class);
        ledger = BudgetLedger.open(openStore(), clock);
    }

    @Test
    void concurrent_reservations_never_exceed_a_limit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ReserveResult>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "c" + i;
                calls.add(() -> ledger.reserve(request(id, "0.30", DAILY, TOTAL)));
            }
            int reserved = 0;
            for (Future<ReserveResult> f : pool.invokeAll(calls)) {
                if (f.get() instanceof ReserveResult.Reserved) {
                    reserved++;
                }
            }
            assertThat(reserved).isEqualTo(33);
            assertThat(ledger.usage(DAILY).reserved()).isEqualTo(usdc("9.90"));
        } finally {
            pool.shutdownNow();
        }
    }
}
