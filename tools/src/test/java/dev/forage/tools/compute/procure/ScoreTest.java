package dev.forage.tools.compute.procure;

import static dev.forage.tools.compute.procure.Fixtures.job;
import static dev.forage.tools.compute.procure.Fixtures.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.forage.tools.compute.Offer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cost formula on cases computed by hand (amounts in USDC base units, 1 USDC = 1,000,000). */
class ScoreTest {

    private static final ProcurementConfig CONFIG = ProcurementConfig.defaults();

    @Test
    void aPerfectProviderCostsItsPricePlusOneVerification() {
        // c = 2.00 USDC for 1 h, V = 0.20: 2.00 + 0.20 / 1 + 0 = 2.20 USDC; 1 h of work, no startup.
        Score s = Score.of(offer("akash", "p", "2.00"), job("j", Duration.ofHours(1), "0.20"), 1, 1, 1, Duration.ZERO, CONFIG);
        assertThat(s.expectedCostUnits()).isCloseTo(2_200_000.0, within(1e-6));
        assertThat(s.expectedHours()).isCloseTo(1.0, within(1e-12));
        assertThat(s.rankUnits()).isEqualTo(s.expectedCostUnits());
        assertThat(s.pVerified()).isEqualTo(1.0);
    }

    @Test
    void failuresAddTheirExpectedCostPerVerifiedResult() {
        // a = 0.5, j = 0.8, v = 0.5; c = 2,000,000; c_f = costFor(30 min) = 1,000,000; V = 200,000.
        // E[cost] = c + V/v + c_f (1 - j)/(j v) = 2,000,000 + 400,000 + 1,000,000 * 0.2 / 0.4 = 2,900,000.
        // Per attempt: 0.5 * (1/60 h) + 0.5 * (0.1 + 0.8 * 1 + 0.2 * 0.5 * 1) = 0.508333 h; q = 0.2: 2.541667 h.
        Score s = Score.of(offer("akash", "p", "2.00"), job("j", Duration.ofHours(1), "0.20"), 0.5, 0.8, 0.5,
                Duration.ofMinutes(6), CONFIG);
        assertThat(s.expectedCostUnits()).isCloseTo(2_900_000.0, within(1e-6));
        assertThat(s.expectedHours()).isCloseTo((0.5 / 60 + 0.5 * 1.0) / 0.2, within(1e-9));
        assertThat(s.pVerified()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void aLeaseFailureCostsTimeButNoMoney() {
        // a halves: E[cost] is unchanged, E[hours] grows by the failed leases' waste.
        Job j = job("j", Duration.ofHours(1), "0");
        Offer o = offer("akash", "p", "3.00");
        Score sure = Score.of(o, j, 1.0, 1, 1, Duration.ZERO, CONFIG);
        Score flaky = Score.of(o, j, 0.5, 1, 1, Duration.ZERO, CONFIG);
        assertThat(flaky.expectedCostUnits()).isEqualTo(sure.expectedCostUnits()).isCloseTo(3_000_000.0, within(1e-6));
        // (0.5 * 1/60 + 0.5 * 1) / 0.5 = 1 + 1/60 h.
        assertThat(flaky.expectedHours()).isCloseTo(1.0 + 1.0 / 60, within(1e-9));
    }

    @Test
    void aMinimumChargeCountsForShortJobsAndForFailedOnes() {
        // io.net style: 2.00/h with the first hour (2.00) never refunded. A 15 min job costs 2.00, and a
        // failed one 2.00 too: E = 2.00 + 2.00 * 0.1 / 0.9 = 2.2222 USDC. At 3.00/h with no minimum:
        // c = 0.75, c_f = costFor(7.5 min) = 0.375: E = 0.75 + 0.375 * 0.1 / 0.9 = 0.791667 USDC.
        Job shortJob = job("j", Duration.ofMinutes(15), "0");
        Offer ionet = offer("ionet", "hw", "hw-1", "2.00", "2.00");
        Offer perSecond = offer("vast", "m", "m-1", "3.00", "0");
        Score withMinimum = Score.of(ionet, shortJob, 1, 0.9, 1, Duration.ZERO, CONFIG);
        Score without = Score.of(perSecond, shortJob, 1, 0.9, 1, Duration.ZERO, CONFIG);
        assertThat(withMinimum.expectedCostUnits()).isCloseTo(2_000_000 + 2_000_000 * 0.1 / 0.9, within(1e-3));
        assertThat(without.expectedCostUnits()).isCloseTo(750_000 + 375_000 * 0.1 / 0.9, within(1e-3));
        assertThat(without.rankUnits()).isLessThan(withMinimum.rankUnits());
    }

    @Test
    void theLatencyPenaltyPricesExpectedHours() {
        // λ = 0.50 USDC per hour; a 1 h job with 30 min startup: 1.5 h per verified result, +750,000.
        ProcurementConfig penalised = CONFIG.withLatencyPenalty(500_000);
        Score s = Score.of(offer("akash", "p", "2.00"), job("j", Duration.ofHours(1), "0"), 1, 1, 1,
                Duration.ofMinutes(30), penalised);
        assertThat(s.expectedHours()).isCloseTo(1.5, within(1e-12));
        assertThat(s.rankUnits()).isCloseTo(2_000_000 + 750_000, within(1e-6));
    }

    @Test
    void aProviderNeverSeenToSucceedRanksLastButFinite() {
        Score s = Score.of(offer("akash", "p", "2.00"), job("j", Duration.ofHours(1), "0.2"), 1, 1, 0, Duration.ZERO, CONFIG);
        assertThat(s.expectedCostUnits()).isFinite().isGreaterThan(1e14);
    }
}
