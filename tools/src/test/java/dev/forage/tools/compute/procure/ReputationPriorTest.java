package dev.forage.tools.compute.procure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.forage.identity.erc8004.ReputationRegistry;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ReputationPriorTest {

    @Test
    void aSummaryIsScaledByItsDecimals() {
        assertThat(ReputationPrior.Prior.fromSummary(new ReputationRegistry.Summary(4, BigInteger.valueOf(9250), 2)))
                .contains(new ReputationPrior.Prior(4, 92.5));
        assertThat(ReputationPrior.Prior.fromSummary(new ReputationRegistry.Summary(1, BigInteger.valueOf(95), 0)))
                .contains(new ReputationPrior.Prior(1, 95.0));
    }

    @Test
    void scoresOutsideTheScaleAreClampedAndNoRatingsIsNoPrior() {
        assertThat(ReputationPrior.Prior.fromSummary(new ReputationRegistry.Summary(2, BigInteger.valueOf(-40), 0)))
                .contains(new ReputationPrior.Prior(2, 0.0));
        assertThat(ReputationPrior.Prior.fromSummary(new ReputationRegistry.Summary(2, BigInteger.valueOf(250), 0)))
                .contains(new ReputationPrior.Prior(2, 100.0));
        assertThat(ReputationPrior.Prior.fromSummary(new ReputationRegistry.Summary(0, BigInteger.ZERO, 0))).isEmpty();
    }

    @Test
    void ratingsBecomeDiscountedCappedPseudoCounts() {
        // 8 ratings averaging 75, weight 0.5: 4 observations, 3 successes and 1 failure.
        ReputationPrior.PseudoCounts few = new ReputationPrior.Prior(8, 75).pseudoCounts(0.5, 20);
        assertThat(few.successes()).isCloseTo(3.0, within(1e-12));
        assertThat(few.failures()).isCloseTo(1.0, within(1e-12));
        // 5,000 ratings averaging 90, capped at 20: 10 observations, 9 and 1.
        ReputationPrior.PseudoCounts many = new ReputationPrior.Prior(5_000, 90).pseudoCounts(0.5, 20);
        assertThat(many.successes()).isCloseTo(9.0, within(1e-12));
        assertThat(many.failures()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void invalidPriorsAreRefused() {
        assertThatThrownBy(() -> new ReputationPrior.Prior(0, 50)).hasMessageContaining("count 0");
        assertThatThrownBy(() -> new ReputationPrior.Prior(1, 101)).hasMessageContaining("101");
        assertThatThrownBy(() -> new ReputationPrior.Prior(1, 50).pseudoCounts(1.5, 1)).hasMessageContaining("1.5");
    }

    @Test
    void noneKnowsNobody() {
        assertThat(ReputationPrior.none().prior(new ProviderKey("devnet", "7"))).isEmpty();
    }
}
