package dev.forage.tools.compute;

import dev.forage.policies.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One market's offer of GPU time.
 *
 * @param market the market's id
 * @param providerId who provides it (an Akash provider address, an io.net hardware or node id, a
 *     devnet node's ERC-8004 agent id)
 * @param offerId what to pass back to {@link ComputeMarket#lease} (a bid id, a hardware id)
 * @param resources what it provides
 * @param pricePerHour the price of one hour of the whole offer, in the billing asset, rounded up
 * @param minimumCharge the least any lease costs whatever its length (io.net's first hour is
 *     never refunded); zero when none
 * @param expiresAt until when the offer stands
 * @param details market-specific facts kept for the lease call and for people (sorted)
 */
public record Offer(String market, String providerId, String offerId, Resources resources, Money pricePerHour,
        Money minimumCharge, Instant expiresAt, Map<String, String> details) {

    public Offer {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(pricePerHour, "pricePerHour");
        Objects.requireNonNull(minimumCharge, "minimumCharge");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!pricePerHour.asset().equals(minimumCharge.asset())) {
            throw new IllegalArgumentException("offer " + offerId + ": price in " + pricePerHour.asset()
                    + " but minimum charge in " + minimumCharge.asset());
        }
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }

    /**
     * The most a lease of {@code duration} on this offer can cost: the hourly price for the
     * duration, rounded up to a whole base unit, and at least the minimum charge.
     */
    public Money costFor(Duration duration) {
        Money prorated = Prices.prorate(pricePerHour, duration);
        return prorated.compareTo(minimumCharge) >= 0 ? prorated : minimumCharge;
    }
}
