package dev.forage.tools.compute.procure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BetaTest {

    @Test
    void observationsAddToTheParameters() {
        Beta b = Beta.withMean(0.9, 2.0).observe(7, 3);
        assertThat(b.alpha()).isCloseTo(8.8, within(1e-12));
        assertThat(b.beta()).isCloseTo(3.2, within(1e-12));
        assertThat(b.mean()).isCloseTo(8.8 / 12.0, within(1e-12));
        assertThat(b.strength()).isCloseTo(12.0, within(1e-12));
    }

    @Test
    void drawsHaveTheDistributionsMeanAndVariance() {
        // Seed 42: the sample mean and variance of 200,000 draws within 1% of the exact values, for a
        // shape above 1 and a shape below 1 (the boosted branch of the Gamma sampler).
        for (Beta b : new Beta[] {new Beta(3.0, 7.0), new Beta(0.4, 0.2)}) {
            SplittableRandom random = new SplittableRandom(42);
            int n = 200_000;
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double x = b.sample(random);
                assertThat(x).as("draw %d of %s, seed 42", i, b).isBetween(0.0, 1.0);
                sum += x;
                squares += x * x;
            }
            double mean = sum / n;
            double variance = squares / n - mean * mean;
            double a = b.alpha();
            double c = b.beta();
            double exactVariance = a * c / ((a + c) * (a + c) * (a + c + 1));
            assertThat(mean).as("mean of %s, seed 42", b).isCloseTo(b.mean(), within(0.01 * b.mean()));
            assertThat(variance).as("variance of %s, seed 42", b).isCloseTo(exactVariance, within(0.01 * exactVariance + 1e-4));
        }
    }

    @Test
    void drawsAreRepeatableForASeed() {
        Beta b = new Beta(2.5, 1.5);
        SplittableRandom r1 = new SplittableRandom(7);
        SplittableRandom r2 = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            assertThat(b.sample(r1)).isEqualTo(b.sample(r2));
        }
    }

    @Test
    void invalidParametersAreRefused() {
        assertThatThrownBy(() -> new Beta(0, 1)).hasMessageContaining("Beta(0.0, 1.0)");
        assertThatThrownBy(() -> Beta.withMean(1.0, 2)).hasMessageContaining("strictly between 0 and 1");
        assertThatThrownBy(() -> Beta.uniform().observe(-1, 0)).hasMessageContaining("-1");
    }
}
