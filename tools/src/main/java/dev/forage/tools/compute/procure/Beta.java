package dev.forage.tools.compute.procure;

import java.util.random.RandomGenerator;

/**
 * A Beta distribution, the posterior of a success probability: {@code alpha} pseudo-successes
 * and {@code beta} pseudo-failures. Observing {@code s} successes in {@code n} trials turns
 * {@code Beta(α, β)} into {@code Beta(α + s, β + n − s)}.
 *
 * <p>These are estimates for ranking offers, never amounts of money, so they are doubles.
 *
 * @param alpha pseudo-successes, above 0
 * @param beta pseudo-failures, above 0
 */
public record Beta(double alpha, double beta) {

    public Beta {
        if (!(alpha > 0.0) || !(beta > 0.0) || Double.isInfinite(alpha) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("Beta(" + alpha + ", " + beta + "): both parameters must be finite and above 0");
        }
    }

    /** The uniform distribution, Beta(1, 1). */
    public static Beta uniform() {
        return new Beta(1.0, 1.0);
    }

    /** A prior with mean {@code mean} worth {@code strength} observations. */
    public static Beta withMean(double mean, double strength) {
        if (!(mean > 0.0 && mean < 1.0) || !(strength > 0.0)) {
            throw new IllegalArgumentException("a Beta prior needs a mean strictly between 0 and 1 and a positive strength, got "
                    + mean + " and " + strength);
        }
        return new Beta(mean * strength, (1.0 - mean) * strength);
    }

    /** This distribution with {@code successes} and {@code failures} more observations. */
    public Beta observe(double successes, double failures) {
        if (successes < 0 || failures < 0) {
            throw new IllegalArgumentException("observed successes " + successes + " and failures " + failures + " must not be negative");
        }
        return new Beta(alpha + successes, beta + failures);
    }

    /** The mean, {@code α / (α + β)}. */
    public double mean() {
        return alpha / (alpha + beta);
    }

    /** How many observations the distribution is worth, {@code α + β}. */
    public double strength() {
        return alpha + beta;
    }

    /**
     * One draw, as {@code X / (X + Y)} with {@code X ~ Gamma(α)} and {@code Y ~ Gamma(β)}
     * (Marsaglia and Tsang's method). Deterministic for a seeded {@code random}.
     */
    public double sample(RandomGenerator random) {
        double x = gamma(alpha, random);
        double y = gamma(beta, random);
        double sum = x + y;
        // Both draws can underflow to 0 for tiny parameters; the mean is the honest answer then.
        return sum > 0.0 ? x / sum : mean();
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 are boosted by U^(1/shape). */
    static double gamma(double shape, RandomGenerator random) {
        if (shape < 1.0) {
            double u = random.nextDouble();
            return gamma(shape + 1.0, random) * Math.pow(u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9.0 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1.0 + c * x;
            if (v <= 0.0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1.0 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1.0 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
