package dev.forage.tools.compute;

import java.time.Duration;
import java.util.List;

/**
 * One market for GPU time. Synchronous and blocking, safe to call from many virtual threads.
 * Every remote call runs inside the adapter's {@link dev.forage.tools.http.ProviderResilience}.
 *
 * <p>Contract, checked by {@code ComputeMarketContract} for every adapter:
 * <ul>
 *   <li>{@link #offers} returns only offers that satisfy the spec, priced per hour in the
 *       billing asset, never throws for "nothing available" (empty list);
 *   <li>{@link #lease} is idempotent by {@link LeaseTerms#idempotencyKey()} where the market
 *       allows it; a lease comes back {@link Lease.State#PENDING} or {@link Lease.State#ACTIVE};
 *   <li>{@link #status}, {@link #extend} and {@link #release} return the lease as it is now;
 *       releasing a closed lease returns it closed;
 *   <li>failures are {@link ComputeException}s (market-level) or
 *       {@link dev.forage.tools.http.RemoteCallException}s (transport and HTTP), retriable
 *       exactly when repeating the call can succeed; the provider's error body travels along.
 * </ul>
 */
public interface ComputeMarket {

    /** The market's id, lower-case: {@code akash}, {@code ionet}, {@code hyperbolic}, {@code devnet}. */
    String id();

    /** What the market offers now for {@code spec}, cheapest first. */
    List<Offer> offers(ComputeSpec spec);

    /**
     * Takes {@code offer} on {@code terms}.
     *
     * @throws ComputeException OFFER_GONE when the offer is no longer available, NO_CAPACITY,
     *     INVALID_REQUEST for terms the market refuses
     */
    Lease lease(Offer offer, LeaseTerms terms);

    /** The lease as the market sees it now. */
    Lease status(Lease lease);

    /** Adds {@code more} time to an active lease. */
    Lease extend(Lease lease, Duration more);

    /** Ends the lease; what was used is billed, the rest refunded as the market's rules say. */
    Lease release(Lease lease);
}
