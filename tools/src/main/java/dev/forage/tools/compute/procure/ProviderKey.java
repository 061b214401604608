package dev.forage.tools.compute.procure;

import dev.forage.tools.compute.Offer;

/**
 * Who statistics are kept for: one provider on one market. The same machine owner on two
 * markets is two keys, because a market's own plumbing (bids, escrow, health checks) is part of
 * what is observed.
 *
 * @param market the market's id, as {@link dev.forage.tools.compute.ComputeMarket#id()} gives it
 * @param providerId the provider's id on that market, as {@link Offer#providerId()} gives it
 */
public record ProviderKey(String market, String providerId) implements Comparable<ProviderKey> {

    public ProviderKey {
        if (market == null || market.isBlank() || market.length() > 64) {
            throw new IllegalArgumentException("provider key market '" + market + "' must be 1 to 64 characters, e.g. akash");
        }
        if (providerId == null || providerId.isBlank() || providerId.length() > 256) {
            throw new IllegalArgumentException(
                    "provider key providerId '" + providerId + "' must be 1 to 256 characters (a provider address or node id)");
        }
    }

    /** The key of the provider behind {@code offer}. */
    public static ProviderKey of(Offer offer) {
        return new ProviderKey(offer.market(), offer.providerId());
    }

    @Override
    public int compareTo(ProviderKey other) {
        int byMarket = market.compareTo(other.market);
        return byMarket != 0 ? byMarket : providerId.compareTo(other.providerId);
    }

    @Override
    public String toString() {
        return market + "/" + providerId;
    }
}
