package dev.forage.tools.compute.procure;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Procurement} weighs and explores. {@link #defaults()} documents each default.
 *
 * @param maxAttempts the most attempts one job gets before it is given up, 1 to 100
 * @param maxShare the largest share of the last {@code shareWindow} attempts one provider may
 *     have before it is passed over (unless nothing else is left), above 0 up to 1; 1 turns the
 *     cap off
 * @param shareWindow how many recent attempts the share is counted over, at least 1
 * @param capTolerance how much dearer (by rank) the best provider under the cap may be than a
 *     capped one for the cap to pass the capped one over, at least 1: the cap spreads load over
 *     providers that are nearly as good, and never pushes work onto bad ones
 * @param priorStrength how many observations the population prior is worth for a provider never
 *     seen, above 0: small values let a newcomer's draws range widely, so it gets tried
 * @param reputationWeight what one ERC-8004 rating is worth against one own observation, 0 to 1
 * @param reputationCap the most ratings counted per provider, 0 or more
 * @param reputationTtl how long a looked-up reputation prior is reused
 * @param failedJobFraction the share of a lease a failed job is expected to be billed for (it
 *     fails part-way; the offer's minimum charge still applies), 0 to 1
 * @param leaseFailureTime how long a failed lease attempt is expected to waste (a bid wait or a
 *     timeout), for the time estimate
 * @param latencyPenaltyUnitsPerHour what an hour of expected wall time per verified result costs,
 *     in base units of the billing asset; 0 makes latency only a tie-break
 */
public record ProcurementConfig(int maxAttempts, double maxShare, int shareWindow, double capTolerance, double priorStrength,
        double reputationWeight, long reputationCap, Duration reputationTtl, double failedJobFraction,
        Duration leaseFailureTime, long latencyPenaltyUnitsPerHour) {

    public ProcurementConfig {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts " + maxAttempts + " must be 1 to 100");
        }
        if (!(maxShare > 0.0 && maxShare <= 1.0)) {
            throw new IllegalArgumentException("maxShare " + maxShare + " must be above 0 and at most 1 (1 turns the cap off)");
        }
        if (shareWindow < 1) {
            throw new IllegalArgumentException("shareWindow " + shareWindow + " must be at least 1");
        }
        if (!(capTolerance >= 1.0) || Double.isInfinite(capTolerance)) {
            throw new IllegalArgumentException("capTolerance " + capTolerance + " must be a finite number, 1 or more");
        }
        if (!(priorStrength > 0.0) || Double.isInfinite(priorStrength)) {
            throw new IllegalArgumentException("priorStrength " + priorStrength + " must be a finite number above 0");
        }
        if (!(reputationWeight >= 0.0 && reputationWeight <= 1.0) || reputationCap < 0) {
            throw new IllegalArgumentException("reputationWeight " + reputationWeight + " must be 0 to 1 and reputationCap "
                    + reputationCap + " must not be negative");
        }
        Objects.requireNonNull(reputationTtl, "reputationTtl");
        if (!(failedJobFraction >= 0.0 && failedJobFraction <= 1.0)) {
            throw new IllegalArgumentException("failedJobFraction " + failedJobFraction + " must be 0 to 1");
        }
        if (leaseFailureTime == null || leaseFailureTime.isNegative()) {
            throw new IllegalArgumentException("leaseFailureTime " + leaseFailureTime + " must be zero or positive");
        }
        if (latencyPenaltyUnitsPerHour < 0) {
            throw new IllegalArgumentException("latencyPenaltyUnitsPerHour " + latencyPenaltyUnitsPerHour + " must not be negative");
        }
    }

    /**
     * The defaults: 5 attempts per job; no provider above 30% of the last 50 attempts (so at
     * least four share the load) while another one costs at most 10% more per verified result (the
     * market simulation measured a 25% tolerance at about two points of the hyperscaler's cost more,
     * for a spread it does not reward; see {@code tools/SIMULATION.md}); a
     * population prior worth 2 observations; a rating
     * worth half an own observation, at most 20 counted (so reputation is worth at most 10
     * observations); priors reused for 10 minutes; a failed job billed for half its lease; a
     * failed lease wasting 60 s (about two Akash bid waits of 30 s); latency a tie-break only.
     */
    public static ProcurementConfig defaults() {
        return new ProcurementConfig(5, 0.3, 50, 1.10, 2.0, 0.5, 20, Duration.ofMinutes(10), 0.5, Duration.ofSeconds(60), 0);
    }

    /** This config with another attempt limit. */
    public ProcurementConfig withMaxAttempts(int attempts) {
        return new ProcurementConfig(attempts, maxShare, shareWindow, capTolerance, priorStrength, reputationWeight, reputationCap,
                reputationTtl, failedJobFraction, leaseFailureTime, latencyPenaltyUnitsPerHour);
    }

    /** This config with another share cap over another window. */
    public ProcurementConfig withShareCap(double share, int window) {
        return new ProcurementConfig(maxAttempts, share, window, capTolerance, priorStrength, reputationWeight, reputationCap,
                reputationTtl, failedJobFraction, leaseFailureTime, latencyPenaltyUnitsPerHour);
    }

    /** This config with another cap tolerance. */
    public ProcurementConfig withCapTolerance(double tolerance) {
        return new ProcurementConfig(maxAttempts, maxShare, shareWindow, tolerance, priorStrength, reputationWeight,
                reputationCap, reputationTtl, failedJobFraction, leaseFailureTime, latencyPenaltyUnitsPerHour);
    }

    /** This config with another latency penalty. */
    public ProcurementConfig withLatencyPenalty(long unitsPerHour) {
        return new ProcurementConfig(maxAttempts, maxShare, shareWindow, capTolerance, priorStrength, reputationWeight, reputationCap,
                reputationTtl, failedJobFraction, leaseFailureTime, unitsPerHour);
    }
}
