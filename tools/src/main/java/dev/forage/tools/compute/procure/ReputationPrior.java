package dev.forage.tools.compute.procure;

import dev.forage.identity.Address;
import dev.forage.identity.erc8004.ReputationRegistry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What others say of a provider before Forage has seen it work: a count of ratings and their
 * average score, as an ERC-8004 Reputation Registry's {@code getSummary} gives them.
 * {@link Procurement} turns a prior into Beta pseudo-counts ({@link Prior#pseudoCounts}) added
 * to its own observations, so reputation decides among providers it knows little of and is
 * outweighed by what it sees itself.
 */
@FunctionalInterface
public interface ReputationPrior {

    /** The prior for {@code key}, if any rating is known. */
    Optional<Prior> prior(ProviderKey key);

    /** No reputation: every provider starts from the population prior alone. */
    static ReputationPrior none() {
        return key -> Optional.empty();
    }

    /**
     * Reputation from an ERC-8004 Reputation Registry: the summary of the ratings that
     * {@code trustedClients} gave the provider's agent, matching {@code tag} ("" for any). A
     * provider without an agent id, without ratings, or whose lookup fails has no prior (a
     * failed lookup is logged: reputation is optional evidence and must not stop procurement).
     *
     * @param registry the registry client
     * @param trustedClients whose ratings count; at least one (an unfiltered summary is open to
     *     Sybil raters, which is why the registry requires the list)
     * @param tag the first tag ratings must carry, e.g. {@code "compute"}; "" for any
     * @param agentIdOf the provider's ERC-8004 agent id (a devnet node's provider id is its agent
     *     id; other markets may have none)
     */
    static ReputationPrior erc8004(ReputationRegistry registry, List<Address> trustedClients, String tag,
            Function<ProviderKey, Optional<BigInteger>> agentIdOf) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(agentIdOf, "agentIdOf");
        List<Address> clients = List.copyOf(trustedClients);
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("an ERC-8004 reputation prior needs at least one trusted client address");
        }
        Logger log = LoggerFactory.getLogger(ReputationPrior.class);
        return key -> agentIdOf.apply(key).flatMap(agentId -> {
            try {
                return Prior.fromSummary(registry.summary(agentId, clients, tag, ""));
            } catch (RuntimeException e) {
                log.warn("no reputation prior for {} (agent {}): the registry lookup failed: {}", key, agentId, e.toString());
                return Optional.empty();
            }
        });
    }

    /**
     * A provider's reputation.
     *
     * @param count how many ratings, at least 1
     * @param averageScore their average on ERC-8004's 0 to 100 scale
     */
    record Prior(long count, double averageScore) {

        public Prior {
            if (count < 1) {
                throw new IllegalArgumentException("a reputation prior needs at least one rating, got count " + count);
            }
            if (!(averageScore >= 0.0 && averageScore <= 100.0)) {
                throw new IllegalArgumentException("reputation score " + averageScore + " must be within 0 to 100");
            }
        }

        /**
         * An ERC-8004 summary as a prior: the value scaled down by its decimals and clamped to 0 to
         * 100 (the standard's scale; a negative average counts as 0); none when nothing was rated.
         */
        public static Optional<Prior> fromSummary(ReputationRegistry.Summary summary) {
            if (summary.count() <= 0) {
                return Optional.empty();
            }
            double score = new BigDecimal(summary.value(), summary.decimals()).doubleValue();
            return Optional.of(new Prior(summary.count(), Math.max(0.0, Math.min(100.0, score))));
        }

        /**
         * The prior as Beta pseudo-counts. The average score, divided by 100, is read as the share
         * of a provider's jobs that deliver a correct result; the ratings are worth
         * {@code n = weight × min(count, cap)} observations of Forage's own, split
         * {@code n × score/100} successes and {@code n × (1 − score/100)} failures. The weight
         * (below 1) discounts ratings by others, of other workloads; the cap keeps a provider
         * with thousands of ratings from drowning what Forage sees itself.
         *
         * @param weight what one rating is worth against one own observation, 0 to 1
         * @param cap the most ratings counted, at least 0
         */
        public PseudoCounts pseudoCounts(double weight, long cap) {
            if (!(weight >= 0.0 && weight <= 1.0) || cap < 0) {
                throw new IllegalArgumentException("reputation weight " + weight + " must be within 0 to 1 and cap " + cap
                        + " must not be negative");
            }
            double n = weight * Math.min(count, cap);
            double share = averageScore / 100.0;
            return new PseudoCounts(n * share, n * (1.0 - share));
        }
    }

    /**
     * Pseudo-observations to add to a Beta posterior.
     *
     * @param successes pseudo-successes, 0 or more
     * @param failures pseudo-failures, 0 or more
     */
    record PseudoCounts(double successes, double failures) {
        public PseudoCounts {
            if (!(successes >= 0.0) || !(failures >= 0.0)) {
                throw new IllegalArgumentException("pseudo-counts " + successes + " and " + failures + " must be 0 or more");
            }
        }

        /** No pseudo-observations. */
        public static PseudoCounts none() {
            return new PseudoCounts(0.0, 0.0);
        }
    }
}
