package dev.forage.runtime.deploy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a deployment asks for.
 *
 * @param identity who the agent is
 * @param chain where it pays
 * @param planner what decides its next tool call
 * @param markets the compute markets it may lease from, in file order
 * @param inference the inference providers it may dispatch to, in file order
 * @param verification how it checks what it bought
 * @param policies its SpendingPolicy files, as loaded: resolved against the deployment file's
 *     folder, each checked to exist
 * @param budget its own budget, if the deployment gives one
 * @param jobs what it pursues once started, in file order, ids unique
 */
public record DeploymentSpec(Identity identity, Chain chain, Planner planner, List<Market> markets,
        List<Inference> inference, Verification verification, List<Path> policies, Optional<Budget> budget,
        List<Job> jobs) {

    public DeploymentSpec {
        Objects.requireNonNull(identity, "spec.identity");
        Objects.requireNonNull(chain, "spec.chain");
        Objects.requireNonNull(planner, "spec.planner");
        markets = Ordered.copy(markets, "spec.markets");
        inference = Ordered.copy(inference, "spec.inference");
        Objects.requireNonNull(verification, "spec.verification");
        policies = Ordered.copy(policies, "spec.policies");
        Objects.requireNonNull(budget, "spec.budget");
        jobs = Ordered.copy(jobs, "spec.jobs");
        Set<String> ids = new HashSet<>();
        for (Job job : jobs) {
            if (!ids.add(job.id())) {
                throw new IllegalArgumentException("job id '" + job.id() + "' appears twice in spec.jobs: job ids must be unique");
            }
        }
    }
}
