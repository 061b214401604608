package dev.forage.policies;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exact, non-negative amount of one {@link Asset}, in integer base units (1 USDC is
 * 1,000,000 units). Never floating point. Amounts are capped at 2^256 - 1 units, the range of
 * an EVM {@code uint256}.
 *
 * <p>Text form: {@code "12.50 USDC"}, a decimal number, one or more spaces, the asset symbol.
 * {@link #toString()} prints at least two decimals (when the asset has them) and no trailing
 * zeros beyond that, and {@link #parse(String, Assets)} reads it back exactly.
 *
 * @param asset what the amount is counted in
 * @param units the amount in base units, 0 to 2^256 - 1
 */
public record Money(Asset asset, BigInteger units) implements Comparable<Money> {

    /** The largest amount, in base units: 2^256 - 1. */
    public static final BigInteger MAX_UNITS = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private static final Pattern TEXT =
            Pattern.compile("\\s*(-?)([0-9]+)(?:\\.([0-9]+))?\\s+([A-Za-z][A-Za-z0-9.\\-]*)\\s*");
    private static final Pattern DECIMAL = Pattern.compile("(-?)([0-9]+)(?:\\.([0-9]+))?");

    public Money {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(units, "units");
        if (units.signum() < 0) {
            throw new InvalidValueException(
                    "amount of " + asset.symbol() + " is negative (" + units + " units): money is never negative");
        }
        if (units.compareTo(MAX_UNITS) > 0) {
            throw new InvalidValueException(
                    "amount of " + asset.symbol() + " (" + units + " units) overflows uint256: use a smaller amount");
        }
    }

    /** Zero of the asset. */
    public static Money zero(Asset asset) {
        return new Money(asset, BigInteger.ZERO);
    }

    /** An amount in base units. */
    public static Money ofUnits(Asset asset, long units) {
        return new Money(asset, BigInteger.valueOf(units));
    }

    /** An amount in base units. */
    public static Money ofUnits(Asset asset, BigInteger units) {
        return new Money(asset, units);
    }

    /**
     * An amount from a decimal number of whole tokens, e.g. {@code of(usdc, "12.50")}.
     *
     * @throws InvalidValueException when the text is not a plain decimal number, is negative,
     *     has more decimals than the asset, or overflows
     */
    public static Money of(Asset asset, String decimal) {
        Objects.requireNonNull(asset, "asset");
        Matcher m = DECIMAL.matcher(decimal.strip());
        if (!m.matches()) {
            throw new InvalidValueException(
                    "amount '" + decimal + "' is not a decimal number: write it like 12.50");
        }
        return fromParts(asset, decimal, m.group(1), m.group(2), m.group(3));
    }

    /**
     * Parses {@code "12.50 USDC"}, looking the symbol up in {@code assets}.
     *
     * @throws InvalidValueException when the text is malformed, the symbol is unknown, the
     *     amount is negative, has more decimals than the asset or overflows
     */
    public static Money parse(String text, Assets assets) {
        Objects.requireNonNull(text, "text");
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new InvalidValueException(
                    "amount '" + text + "' is not '<number> <SYMBOL>': write it like '12.50 USDC'");
        }
        Asset asset = assets.require(m.group(4));
        return fromParts(asset, text, m.group(1), m.group(2), m.group(3));
    }

    private static Money fromParts(Asset asset, String text, String sign, String whole, String fraction) {
        String frac = fraction == null ? "" : fraction;
        if (frac.length() > asset.decimals()) {
            throw new InvalidValueException(
                    "amount '" + text.strip() + "' has " + frac.length() + " decimals but " + asset.symbol()
                            + " has only " + asset.decimals() + ": round it to " + asset.decimals() + " decimals");
        }
        if (!sign.isEmpty() && !(new BigInteger(whole).signum() == 0 && frac.chars().allMatch(c -> c == '0'))) {
            throw new InvalidValueException("amount '" + text.strip() + "' is negative: money is never negative");
        }
        // Guard the digit count before building a huge BigInteger from hostile input.
        if (whole.length() + asset.decimals() > 80) {
            throw new InvalidValueException(
                    "amount '" + text.strip() + "' overflows uint256: use a smaller amount");
        }
        String padded = frac + "0".repeat(asset.decimals() - frac.length());
        return new Money(asset, new BigInteger(whole + padded));
    }

    /**
     * The sum of two amounts of the same asset.
     *
     * @throws InvalidValueException when the assets differ or the sum overflows
     */
    public Money plus(Money other) {
        requireSameAsset(other, "add");
        return new Money(asset, units.add(other.units));
    }

    /**
     * The difference of two amounts of the same asset.
     *
     * @throws InvalidValueException when the assets differ or {@code other} is larger
     */
    public Money minus(Money other) {
        requireSameAsset(other, "subtract");
        if (units.compareTo(other.units) < 0) {
            throw new InvalidValueException(
                    "cannot subtract " + other + " from " + this + ": the result would be negative");
        }
        return new Money(asset, units.subtract(other.units));
    }

    /** The difference, or zero when {@code other} is larger. Same asset required. */
    public Money minusOrZero(Money other) {
        requireSameAsset(other, "subtract");
        return units.compareTo(other.units) <= 0 ? zero(asset) : new Money(asset, units.subtract(other.units));
    }

    /**
     * Orders two amounts of the same asset.
     *
     * @throws InvalidValueException when the assets differ
     */
    @Override
    public int compareTo(Money other) {
        requireSameAsset(other, "compare");
        return units.compareTo(other.units);
    }

    /** Whether this is more than {@code other} (same asset required). */
    public boolean isGreaterThan(Money other) {
        return compareTo(other) > 0;
    }

    /** Whether the amount is zero. */
    public boolean isZero() {
        return units.signum() == 0;
    }

    /** The base units clamped to {@code Long.MAX_VALUE}, for CEL's 64-bit integers. */
    public long unitsSaturated() {
        return units.bitLength() < 64 ? units.longValue() : Long.MAX_VALUE;
    }

    /** The amount in whole tokens as exact decimal text, e.g. {@code 12.50}. */
    public String toDecimalString() {
        BigDecimal value = new BigDecimal(units, asset.decimals()).stripTrailingZeros();
        int minScale = Math.min(2, asset.decimals());
        if (value.scale() < minScale) {
            value = value.setScale(minScale);
        }
        return value.toPlainString();
    }

    /** {@code "12.50 USDC"}. */
    @Override
    public String toString() {
        return toDecimalString() + " " + asset.symbol();
    }

    private void requireSameAsset(Money other, String operation) {
        Objects.requireNonNull(other, "other");
        if (!asset.equals(other.asset)) {
            throw new InvalidValueException(
                    "cannot " + operation + " " + this + " (" + asset + ") and " + other + " (" + other.asset
                            + "): amounts of different assets never mix; convert explicitly first");
        }
    }
}
