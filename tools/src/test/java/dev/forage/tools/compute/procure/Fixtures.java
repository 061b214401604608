package dev.forage.tools.compute.procure;

import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.compute.ComputeSpec;
import dev.forage.tools.compute.Offer;
import dev.forage.tools.compute.Prices;
import dev.forage.tools.compute.Resources;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Offers, jobs and the billing asset for procurement tests. */
final class Fixtures {

    static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x" + "a".repeat(40));
    static final Asset OTHER = Asset.erc20("USDT", 6, "eip155:31337", "0x" + "b".repeat(40));
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private Fixtures() {}

    static Money usd(String amount) {
        return Prices.usd(new BigDecimal(amount), USDC);
    }

    /** An H100 offer at {@code usdPerHour}, no minimum charge, valid for a day from T0. */
    static Offer offer(String market, String provider, String usdPerHour) {
        return offer(market, provider, provider + "-offer", usdPerHour, "0");
    }

    static Offer offer(String market, String provider, String offerId, String usdPerHour, String minimumUsd) {
        return new Offer(market, provider, offerId, new Resources("H100", 1, 80, 0, 0, Optional.empty()), usd(usdPerHour),
                usd(minimumUsd), T0.plus(Duration.ofDays(1)), Map.of());
    }

    static Job job(String id, Duration duration, String verifyUsd) {
        return new Job(id, ComputeSpec.of("h100", 1, duration), usd(verifyUsd));
    }
}
