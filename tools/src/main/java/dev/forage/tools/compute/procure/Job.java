package dev.forage.tools.compute.procure;

import dev.forage.policies.Money;
import dev.forage.tools.compute.ComputeSpec;
import java.util.Objects;

/**
 * One unit of work to buy compute for.
 *
 * @param id the job's id; attempts derive their lease idempotency keys from it
 * @param spec what the work needs; {@link ComputeSpec#duration()} is the job's size (how long it
 *     runs on one offer)
 * @param verificationCost what checking one result costs the buyer (re-executing a sample of the
 *     work on trusted hardware), in the billing asset; zero when results are not checked
 */
public record Job(String id, ComputeSpec spec, Money verificationCost) {

    public Job {
        if (id == null || id.isBlank() || id.length() > 200) {
            throw new IllegalArgumentException("job id '" + id + "' must be 1 to 200 characters");
        }
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(verificationCost, "verificationCost");
    }
}
