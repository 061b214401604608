package dev.forage.policies.ledger;

import dev.forage.policies.InvalidValueException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * The period a budget limit applies to: a rolling duration, a calendar period in a time zone,
 * or the budget's whole lifetime.
 */
public sealed interface BudgetWindow {

    /**
     * The suffix that names the ledger account an entry made at {@code at} counts in. Calendar
     * windows name the period that contains {@code at}, so each period is its own account;
     * rolling windows name their length, so changing the length starts a fresh account.
     */
    String accountSuffix(Instant at);

    /**
     * Spend counts for {@code length} after it is made: "at most 20 USDC in any 24 hours".
     *
     * @param length how long each entry counts, positive
     */
    record Rolling(Duration length) implements BudgetWindow {
        public Rolling {
            Objects.requireNonNull(length, "length");
            if (length.isNegative() || length.isZero()) {
                throw new InvalidValueException("rolling window length " + length + " must be positive, e.g. 24h");
            }
        }

        @Override
        public String accountSuffix(Instant at) {
            return "~" + length;
        }
    }

    /**
     * Spend counts until the calendar period it was made in ends: "at most 100 USDC per day,
     * Berlin time". Weeks start on Monday (ISO-8601).
     *
     * @param period the calendar period
     * @param zone the time zone whose calendar is used
     */
    record Calendar(Period period, ZoneId zone) implements BudgetWindow {
        public Calendar {
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(zone, "zone");
        }

        /** The instant the period containing {@code at} starts. */
        public Instant periodStart(Instant at) {
            ZonedDateTime t = ZonedDateTime.ofInstant(at, zone);
            ZonedDateTime start = switch (period) {
                case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
                case DAY -> t.toLocalDate().atStartOfDay(zone);
                case WEEK -> t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(zone);
                case MONTH -> t.toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
            };
            return start.toInstant();
        }

        /** The instant the period containing {@code at} ends (exclusive). */
        public Instant periodEnd(Instant at) {
            ZonedDateTime start = ZonedDateTime.ofInstant(periodStart(at), zone);
            ZonedDateTime end = switch (period) {
                case HOUR -> start.plusHours(1);
                case DAY -> start.toLocalDate().plusDays(1).atStartOfDay(zone);
                case WEEK -> start.toLocalDate().plusWeeks(1).atStartOfDay(zone);
                case MONTH -> start.toLocalDate().plusMonths(1).atStartOfDay(zone);
            };
            return end.toInstant();
        }

        @Override
        public String accountSuffix(Instant at) {
            return "@" + periodStart(at);
        }
    }

    /** Spend counts forever: a total cap. */
    record Lifetime() implements BudgetWindow {
        @Override
        public String accountSuffix(Instant at) {
            return "";
        }
    }

    /** The calendar periods a {@link Calendar} window can use. */
    enum Period {
        HOUR,
        DAY,
        WEEK,
        MONTH
    }
}
