package dev.forage.tools.compute;

import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Exact conversions from a market's units to {@link Money} in the billing asset.
 *
 * <p>The rounding rule, everywhere: a price or cost is computed exactly as a decimal and then
 * rounded <b>up</b> to the next whole base unit of the billing asset (a budget never
 * under-counts a cost; the error is below one base unit per conversion). The billing asset is
 * a USD stablecoin (USDC, 6 decimals): one USD is one whole token. Akash's {@code uact} is a
 * micro-USD compute credit, so one {@code uact} is one USDC base unit; other denoms need a rate.
 */
public final class Prices {

    /** Akash blocks per hour at a 6 s block time. */
    public static final int AKASH_BLOCKS_PER_HOUR = 600;

    private Prices() {}

    /** {@code usd} US dollars (a decimal string or number) in {@code billing}, rounded up. */
    public static Money usd(BigDecimal usd, Asset billing) {
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("price " + usd.toPlainString() + " USD is negative");
        }
        BigDecimal units = usd.movePointRight(billing.decimals()).setScale(0, RoundingMode.CEILING);
        return Money.ofUnits(billing, units.toBigIntegerExact());
    }

    /**
     * An Akash price per block in micro-units of a USD-pegged denom ({@code uact}, or a USDC
     * IBC denom) as a price per hour: {@code amount × 600} micro-USD, rounded up.
     */
    public static Money akashPerBlockToHourly(BigDecimal microUsdPerBlock, Asset billing) {
        return usd(microUsdPerBlock.multiply(BigDecimal.valueOf(AKASH_BLOCKS_PER_HOUR)).movePointLeft(6), billing);
    }

    /**
     * A total of {@code totalUsd} US dollars for {@code hours} hours as a price per hour in
     * {@code billing}: {@code total / hours}, exact, rounded up to a whole base unit (io.net
     * quotes the whole deployment, not the hour).
     *
     * @throws IllegalArgumentException when the total is negative or {@code hours} below 1
     */
    public static Money usdPerHour(BigDecimal totalUsd, long hours, Asset billing) {
        if (totalUsd.signum() < 0) {
            throw new IllegalArgumentException("total " + totalUsd.toPlainString() + " USD is negative");
        }
        if (hours < 1) {
            throw new IllegalArgumentException("hours " + hours + " must be at least 1");
        }
        BigDecimal units = totalUsd.movePointRight(billing.decimals()).divide(BigDecimal.valueOf(hours), 0, RoundingMode.CEILING);
        return Money.ofUnits(billing, units.toBigIntegerExact());
    }

    /** The cost of {@code duration} at {@code perHour}, exact to the nanosecond and rounded up. */
    public static Money prorate(Money perHour, Duration duration) {
        BigInteger nanos = BigInteger.valueOf(duration.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(duration.getNano()));
        BigInteger hourNanos = BigInteger.valueOf(3_600_000_000_000L);
        BigInteger[] qr = perHour.units().multiply(nanos).divideAndRemainder(hourNanos);
        BigInteger units = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        return Money.ofUnits(perHour.asset(), units);
    }
}
