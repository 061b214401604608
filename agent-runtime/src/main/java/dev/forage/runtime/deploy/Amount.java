package dev.forage.runtime.deploy;

import dev.forage.policies.Assets;
import dev.forage.policies.InvalidValueException;
import dev.forage.policies.Money;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of money as a deployment writes it, {@code "3.00 USDC"}: checked for its shape when
 * loaded, and turned into exact {@link Money} only with the assets of the chain the agent runs
 * on ({@link #resolve(Assets)}), because the symbol alone does not say which token it is.
 *
 * @param decimal the amount as written, a non-negative decimal number, e.g. {@code 3.00}
 * @param symbol the asset symbol, e.g. {@code USDC}
 */
public record Amount(String decimal, String symbol) {

    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,60}(\\.[0-9]{1,36})?");
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z][A-Za-z0-9.\\-]{0,15}");
    private static final Pattern TEXT = Pattern.compile("\\s*([0-9]{1,60}(?:\\.[0-9]{1,36})?) +([A-Za-z][A-Za-z0-9.\\-]{0,15})\\s*");

    public Amount {
        Objects.requireNonNull(decimal, "decimal");
        Objects.requireNonNull(symbol, "symbol");
        if (!DECIMAL.matcher(decimal).matches()) {
            throw new IllegalArgumentException("amount '" + decimal + "' is not a non-negative decimal number: write it like 3.00");
        }
        if (!SYMBOL.matcher(symbol).matches()) {
            throw new IllegalArgumentException("asset symbol '" + symbol
                    + "' is not valid: use a letter then up to 15 letters, digits, '.' or '-', like USDC");
        }
    }

    /**
     * Reads {@code "3.00 USDC"}.
     *
     * @throws IllegalArgumentException when the text is not a decimal number, spaces and a symbol
     */
    public static Amount parse(String text) {
        Matcher m = TEXT.matcher(Objects.requireNonNull(text, "text"));
        if (!m.matches()) {
            throw new IllegalArgumentException("amount '" + text + "' is not '<number> <SYMBOL>': write it like '3.00 USDC'");
        }
        return new Amount(m.group(1), m.group(2));
    }

    /**
     * The exact amount of the asset with this symbol in {@code assets}.
     *
     * @throws InvalidValueException when the symbol is unknown there or the amount has more
     *     decimals than the asset
     */
    public Money resolve(Assets assets) {
        return Money.parse(toString(), assets);
    }

    /** {@code "3.00 USDC"}, exactly as written. */
    @Override
    public String toString() {
        return decimal + " " + symbol;
    }
}
