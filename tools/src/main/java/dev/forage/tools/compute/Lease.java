package dev.forage.tools.compute;

import dev.forage.policies.Money;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A lease on a market, as last seen.
 *
 * @param id the market's id for it (an Akash dseq, an io.net deployment id, a Hyperbolic
 *     instance id, a devnet lease id)
 * @param offer the offer it was taken from
 * @param endpoints where the workload answers, once known
 * @param state where it is in its life
 * @param start when it started (or was requested)
 * @param end when it ends or ended, if known
 * @param costSoFar what it has cost up to now
 * @param details market-specific facts (sorted)
 */
public record Lease(String id, Offer offer, List<URI> endpoints, State state, Instant start, Optional<Instant> end,
        Money costSoFar, Map<String, String> details) {

    public Lease {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(offer, "offer");
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(costSoFar, "costSoFar");
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }

    /** Where a lease is in its life. */
    public enum State {
        /** Requested; not serving yet. */
        PENDING,
        /** Serving. */
        ACTIVE,
        /** Ended normally (released or run out). */
        CLOSED,
        /** Ended by a failure of the provider or the market. */
        FAILED;

        /** Whether the lease has ended. */
        public boolean ended() {
            return this == CLOSED || this == FAILED;
        }
    }

    /** The same lease with another state, end and cost. */
    public Lease with(State next, Optional<Instant> newEnd, Money cost) {
        return new Lease(id, offer, endpoints, next, start, newEnd, cost, details);
    }
}
