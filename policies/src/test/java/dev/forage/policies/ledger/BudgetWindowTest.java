package dev.forage.policies.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.InvalidValueException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BudgetWindowTest {

    @ParameterizedTest
    @CsvSource({
            "HOUR, UTC, 2026-03-02T10:59:59Z, 2026-03-02T10:00:00Z, 2026-03-02T11:00:00Z",
            "HOUR, Asia/Kolkata, 2026-03-02T10:10:00Z, 2026-03-02T09:30:00Z, 2026-03-02T10:30:00Z",
            "DAY, UTC, 2026-03-02T23:59:59Z, 2026-03-02T00:00:00Z, 2026-03-03T00:00:00Z",
            "DAY, Europe/Berlin, 2026-03-02T23:30:00Z, 2026-03-02T23:00:00Z, 2026-03-03T23:00:00Z",
            // The day clocks go forward in Berlin is 23 hours long.
            "DAY, Europe/Berlin, 2026-03-29T12:00:00Z, 2026-03-28T23:00:00Z, 2026-03-29T22:00:00Z",
            // Weeks start on Monday; 2026-03-01 is a Sunday.
            "WEEK, UTC, 2026-03-01T12:00:00Z, 2026-02-23T00:00:00Z, 2026-03-02T00:00:00Z",
            "WEEK, UTC, 2026-03-02T00:00:00Z, 2026-03-02T00:00:00Z, 2026-03-09T00:00:00Z",
            "MONTH, UTC, 2026-02-28T23:00:00Z, 2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z",
            "MONTH, America/New_York, 2026-03-01T03:00:00Z, 2026-02-01T05:00:00Z, 2026-03-01T05:00:00Z",
    })
    void calendar_periods_start_and_end_in_their_time_zone(String period, String zone, String at, String start, String end) {
        BudgetWindow.Calendar w = new BudgetWindow.Calendar(BudgetWindow.Period.valueOf(period), ZoneId.of(zone));

        assertThat(w.periodStart(Instant.parse(at))).isEqualTo(Instant.parse(start));
        assertThat(w.periodEnd(Instant.parse(at))).isEqualTo(Instant.parse(end));
        assertThat(w.accountSuffix(Instant.parse(at))).isEqualTo("@" + start);
    }

    @Test
    void rolling_and_lifetime_accounts_do_not_depend_on_time() {
        BudgetWindow rolling = new BudgetWindow.Rolling(Duration.ofHours(24));

        assertThat(rolling.accountSuffix(Instant.EPOCH)).isEqualTo("~PT24H").isEqualTo(rolling.accountSuffix(Instant.now()));
        assertThat(new BudgetWindow.Lifetime().accountSuffix(Instant.EPOCH)).isEmpty();
        assertThatThrownBy(() -> new BudgetWindow.Rolling(Duration.ZERO)).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void budget_lines_name_their_accounts() {
        BudgetLine line = new BudgetLine("daily", "provider-a", dev.forage.policies.testing.Fixtures.usdc("1"),
                new BudgetWindow.Calendar(BudgetWindow.Period.DAY, ZoneId.of("UTC")));

        assertThat(line.ref()).isEqualTo("daily[provider-a]");
        assertThat(line.account(Instant.parse("2026-03-02T10:00:00Z"))).isEqualTo("daily[provider-a]@2026-03-02T00:00:00Z");
        assertThatThrownBy(() -> BudgetLine.of("daily-cap", dev.forage.policies.testing.Fixtures.usdc("1"), new BudgetWindow.Lifetime()))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("not an identifier");
    }
}
