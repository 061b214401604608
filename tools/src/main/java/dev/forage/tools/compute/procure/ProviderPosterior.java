package dev.forage.tools.compute.procure;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Procurement} believes of one provider: a Beta posterior for each of the three
 * steps an attempt must pass, and the startup latency it expects.
 *
 * @param key the provider
 * @param lease the probability that a lease comes up
 * @param job the probability that a leased job finishes
 * @param verify the probability that a finished job's result passes verification
 * @param latency the expected startup latency
 */
public record ProviderPosterior(ProviderKey key, Beta lease, Beta job, Beta verify, Duration latency) {

    public ProviderPosterior {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(latency, "latency");
    }

    /** The posterior mean of the probability that an attempt ends verified. */
    public double meanVerified() {
        return lease.mean() * job.mean() * verify.mean();
    }
}
