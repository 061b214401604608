package dev.forage.tools.compute.procure.sim;

import dev.forage.tools.compute.Offer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One simulated provider: its standing offer and the hidden truth about it.
 *
 * @param index its position in the world, for per-attempt random streams
 * @param offer what it offers (the same every job)
 * @param kind datacentre or DePIN
 * @param jobFailure the probability that a one-hour job is interrupted (DePIN: per job, whatever its
 *     length; datacentre: derived per GPU-hour)
 * @param perGpuHour whether {@code jobFailure} is a rate per GPU-hour rather than per job
 * @param availability the share of time it is up
 * @param startupMedian the median of its startup latency
 * @param cheat the probability that it fakes a job's result (0 for an honest provider)
 * @param outages the windows in which it is down, in time order
 */
record SimProvider(int index, Offer offer, SimParameters.Kind kind, double jobFailure, boolean perGpuHour,
        double availability, Duration startupMedian, double cheat, List<Outage> outages) {

    /** A window of unavailability, {@code [start, end)}. */
    record Outage(Instant start, Instant end) {}

    boolean dishonest() {
        return cheat > 0;
    }

    /** Whether it is down at {@code t}. */
    boolean downAt(Instant t) {
        for (Outage o : outages) {
            if (o.start().isAfter(t)) {
                return false;
            }
            if (t.isBefore(o.end())) {
                return true;
            }
        }
        return false;
    }

    /** The start of the first outage in {@code (from, to)}, if any. */
    java.util.Optional<Instant> outageStartIn(Instant from, Instant to) {
        for (Outage o : outages) {
            if (o.start().isAfter(from) && o.start().isBefore(to)) {
                return java.util.Optional.of(o.start());
            }
            if (!o.start().isBefore(to)) {
                break;
            }
        }
        return java.util.Optional.empty();
    }
}
