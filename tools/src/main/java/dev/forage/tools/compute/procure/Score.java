package dev.forage.tools.compute.procure;

import dev.forage.tools.compute.Offer;
import java.time.Duration;
import java.util.Objects;

/**
 * An offer's expected cost per verified result, and the estimates it rests on.
 *
 * <p><b>The formula.</b> An attempt on an offer ends in one of four ways. With {@code a} the
 * probability that the lease comes up, {@code j} that the job then finishes and {@code v} that
 * its result then passes verification:
 * <pre>
 *   outcome               probability     money spent            time spent
 *   lease fails           1 − a           0                      t_lf
 *   job fails             a·(1 − j)       c_f                    L + φ·d
 *   result rejected       a·j·(1 − v)     V                      L + d
 *   result verified       a·j·v           c + V                  L + d
 * </pre>
 * where {@code c = offer.costFor(d)} is the lease price for the job's duration {@code d}
 * (minimum charges included: io.net bills the first hour whatever happens), {@code c_f =
 * offer.costFor(φ·d)} what a job that fails part-way is billed ({@code φ} =
 * {@link ProcurementConfig#failedJobFraction()}, the minimum charge again included), {@code V}
 * the buyer's cost of verifying one result ({@link Job#verificationCost()}), {@code L} the
 * provider's startup latency and {@code t_lf} the time a failed lease wastes. A rejected result
 * costs the buyer only its verification, because settlement is gated by the verdict.
 *
 * <p>Buying a verified result from this offer means repeating attempts until one ends verified:
 * the number of attempts is geometric with mean {@code 1/q}, {@code q = a·j·v}, so by Wald's
 * identity (renewal-reward) the expected money per verified result is the expected money per
 * attempt divided by {@code q}:
 * <pre>
 *   E[cost]  = a·(j·(v·c + V) + (1 − j)·c_f) / (a·j·v)
 *            = c  +  V / v  +  c_f · (1 − j) / (j·v)
 *   E[hours] = ((1 − a)·t_lf + a·(L + j·d + (1 − j)·φ·d)) / (a·j·v)
 *   rank     = E[cost] + λ · E[hours]
 * </pre>
 * Read off: one successful lease ({@code c}); one verification per completed result, and
 * {@code 1/v} results per verified one ({@code V/v}); the failed jobs paid along the way. A
 * failed lease costs no money, only time. {@code λ} is
 * {@link ProcurementConfig#latencyPenaltyUnitsPerHour()}; with {@code λ = 0}, lower expected
 * hours break ties. Money terms are in base units of the billing asset.
 *
 * <p>These are estimates for ranking, never amounts paid, so they are doubles; what is paid is
 * always the offer's exact {@link dev.forage.policies.Money}.
 *
 * @param offer the offer
 * @param pLease the probability {@code a} used
 * @param pJob the probability {@code j} used
 * @param pVerify the probability {@code v} used
 * @param expectedCostUnits {@code E[cost]}, base units per verified result
 * @param expectedHours {@code E[hours]}, wall-clock hours per verified result
 * @param rankUnits {@code E[cost] + λ·E[hours]}: lower is better
 */
public record Score(Offer offer, double pLease, double pJob, double pVerify, double expectedCostUnits,
        double expectedHours, double rankUnits) {

    /** Probabilities are held off zero so that a provider never seen to succeed ranks last, not at infinity. */
    static final double FLOOR = 1e-9;

    public Score {
        Objects.requireNonNull(offer, "offer");
    }

    /** The probability {@code q = a·j·v} that one attempt ends verified. */
    public double pVerified() {
        return pLease * pJob * pVerify;
    }

    /**
     * Scores {@code offer} for {@code job} from the given probabilities (posterior means or
     * Thompson draws) and startup latency, by the formula above.
     */
    public static Score of(Offer offer, Job job, double pLease, double pJob, double pVerify, Duration latency,
            ProcurementConfig config) {
        double a = clamp(pLease);
        double j = clamp(pJob);
        double v = clamp(pVerify);
        Duration d = job.spec().duration();
        double c = offer.costFor(d).units().doubleValue();
        double cf = offer.costFor(scale(d, config.failedJobFraction())).units().doubleValue();
        double verify = job.verificationCost().units().doubleValue();
        double cost = c + verify / v + cf * (1.0 - j) / (j * v);
        double hours = d.toNanos() / 3.6e12;
        double startup = latency.toNanos() / 3.6e12;
        double failedLease = config.leaseFailureTime().toNanos() / 3.6e12;
        double perAttempt = (1.0 - a) * failedLease
                + a * (startup + j * hours + (1.0 - j) * config.failedJobFraction() * hours);
        double expectedHours = perAttempt / (a * j * v);
        return new Score(offer, a, j, v, cost, expectedHours, cost + config.latencyPenaltyUnitsPerHour() * expectedHours);
    }

    private static double clamp(double p) {
        return Math.max(FLOOR, Math.min(1.0, p));
    }

    private static Duration scale(Duration d, double fraction) {
        long nanos = Math.round(d.toNanos() * fraction);
        // A failed job runs at least a moment: costFor needs a positive duration.
        return Duration.ofNanos(Math.max(1, nanos));
    }
}
