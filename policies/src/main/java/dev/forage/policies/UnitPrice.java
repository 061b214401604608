package dev.forage.policies;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A price per unit of what is bought, e.g. {@code 1.20 USDC} per {@code gpu-hour}.
 *
 * @param price the price of one unit
 * @param unit what one unit is: lower-case letters, digits, '-', '_' or '.', e.g.
 *     {@code gpu-hour}, {@code 1k-tokens}, {@code request}
 */
public record UnitPrice(Money price, String unit) {

    private static final Pattern UNIT = Pattern.compile("[a-z0-9][a-z0-9._\\-]{0,63}");

    public UnitPrice {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(unit, "unit");
        if (!UNIT.matcher(unit).matches()) {
            throw new InvalidValueException(
                    "unit '" + unit + "' is not valid: use lower-case letters, digits, '.', '_' or '-', e.g. gpu-hour");
        }
    }

    @Override
    public String toString() {
        return price + "/" + unit;
    }
}
