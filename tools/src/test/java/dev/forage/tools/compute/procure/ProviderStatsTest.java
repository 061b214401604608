package dev.forage.tools.compute.procure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.forage.policies.CounterpartyStats;
import dev.forage.tools.compute.procure.Observation.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderStatsTest {

    private static final ProviderKey KEY = new ProviderKey("akash", "akash1provider");
    private static final Instant T = Fixtures.T0;

    private static ProviderStats sample() {
        return ProviderStats.empty(KEY)
                .apply(Observation.leaseFailed(KEY, T))
                .apply(Observation.of(KEY, Outcome.JOB_FAILED, Duration.ofSeconds(10), T.plusSeconds(60)))
                .apply(Observation.of(KEY, Outcome.VERIFIED, Duration.ofSeconds(20), T.plusSeconds(120)))
                .apply(Observation.of(KEY, Outcome.VERIFICATION_FAILED, Duration.ofSeconds(30), T.plusSeconds(180)));
    }

    @Test
    void eachOutcomeCountsWhereItBelongs() {
        ProviderStats s = sample();
        assertThat(s.leaseAttempts()).isEqualTo(4);
        assertThat(s.leaseFailures()).isEqualTo(1);
        assertThat(s.leases()).isEqualTo(3);
        assertThat(s.jobFailures()).isEqualTo(1);
        assertThat(s.jobSuccesses()).isEqualTo(2);
        assertThat(s.verificationPasses()).isEqualTo(1);
        assertThat(s.verificationFailures()).isEqualTo(1);
        assertThat(s.lastSeen()).contains(T.plusSeconds(180));
    }

    @Test
    void anUnverifiedCompletionIsAJobSuccessOnly() {
        ProviderStats s = ProviderStats.empty(KEY).apply(Observation.of(KEY, Outcome.COMPLETED_UNVERIFIED, Duration.ZERO, T));
        assertThat(s.jobSuccesses()).isEqualTo(1);
        assertThat(s.verificationPasses() + s.verificationFailures()).isZero();
    }

    @Test
    void latencyIsAnExponentialMovingAverageWithWeightOneFifth() {
        // 10 s sets it; then 10 + 0.2 (20 - 10) = 12 s; then 12 + 0.2 (30 - 12) = 15.6 s. A failed lease has none.
        ProviderStats s = sample();
        assertThat(s.latencySamples()).isEqualTo(3);
        assertThat(s.latencyEwmaMillis()).isCloseTo(15_600.0, within(1e-9));
        assertThat(s.latency()).contains(Duration.ofMillis(15_600));
        assertThat(ProviderStats.empty(KEY).latency()).isEmpty();
    }

    @Test
    void lastSeenNeverMovesBackForAnOutOfOrderObservation() {
        ProviderStats s = sample().apply(Observation.leaseFailed(KEY, T.minusSeconds(3600)));
        assertThat(s.lastSeen()).contains(T.plusSeconds(180));
    }

    @Test
    void theCounterpartyViewIsDerivedFromTheCounts() {
        ProviderStats s = sample();
        assertThat(s.counterparty()).isEqualTo(new CounterpartyStats(4, 0.25, 1, 0.0));
        assertThat(s.counterparty(new ReputationPrior.Prior(12, 87.5))).isEqualTo(new CounterpartyStats(4, 0.25, 1, 87.5));
        assertThat(ProviderStats.empty(KEY).counterparty()).isEqualTo(CounterpartyStats.unknown());
    }

    @Test
    void anObservationOfAnotherProviderIsRefused() {
        ProviderKey other = new ProviderKey("akash", "someone-else");
        assertThatThrownBy(() -> ProviderStats.empty(KEY).apply(Observation.leaseFailed(other, T)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("akash/someone-else");
    }

    @Test
    void countsThatDoNotNestAreRefused() {
        assertThatThrownBy(() -> new ProviderStats(KEY, 3, 1, 1, 0, 0, 0, 0, 0.0, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must equal lease attempts 3");
        assertThatThrownBy(() -> new ProviderStats(KEY, 1, 0, 1, 0, 1, 1, 0, 0.0, Optional.empty()))
                .hasMessageContaining("must not exceed job successes 1");
        assertThatThrownBy(() -> new ProviderStats(KEY, 0, 0, 0, 0, 0, 0, 0, Double.NaN, Optional.empty()))
                .hasMessageContaining("latency average NaN");
    }

    @Test
    void aFailedLeaseCarriesNoLatency() {
        assertThatThrownBy(() -> new Observation(KEY, Outcome.LEASE_FAILED, Optional.of(Duration.ofSeconds(1)), T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no latency");
    }
}
