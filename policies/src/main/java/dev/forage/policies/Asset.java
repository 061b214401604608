package dev.forage.policies;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A token that money is counted in: its symbol, how many decimals one whole token has, the
 * CAIP-2 chain it lives on, and its contract address (or {@code native} for the chain's own
 * coin). Two assets are the same only if all four agree, so "USDC on Base" and "USDC on a
 * devnet" never mix.
 *
 * @param symbol the ticker, e.g. {@code USDC}; letters, digits, '.' and '-', at most 16
 * @param decimals base units per whole token as a power of ten, 0 to 36 (USDC has 6)
 * @param chain the CAIP-2 chain id, e.g. {@code eip155:8453}
 * @param token the ERC-20 contract address ({@code 0x} and 40 hex digits, stored lower-case),
 *     or {@code native}
 */
public record Asset(String symbol, int decimals, String chain, String token) {

    /** The largest number of decimals an asset may declare. */
    public static final int MAX_DECIMALS = 36;

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z][A-Za-z0-9.\\-]{0,15}");
    private static final Pattern CAIP2 = Pattern.compile("[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{40}");

    /** The token value for a chain's native coin. */
    public static final String NATIVE = "native";

    public Asset {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(token, "token");
        if (!SYMBOL.matcher(symbol).matches()) {
            throw new InvalidValueException(
                    "asset symbol '" + symbol + "' is not valid: use a letter then up to 15 letters, digits, '.' or '-'");
        }
        if (decimals < 0 || decimals > MAX_DECIMALS) {
            throw new InvalidValueException(
                    "asset " + symbol + " has " + decimals + " decimals: use 0 to " + MAX_DECIMALS);
        }
        requireChain(chain);
        token = token.toLowerCase(Locale.ROOT);
        if (!token.equals(NATIVE) && !ADDRESS.matcher(token).matches()) {
            throw new InvalidValueException(
                    "asset " + symbol + " token '" + token + "' is neither 'native' nor a 0x-prefixed 20-byte hex address");
        }
    }

    /** An ERC-20 token. */
    public static Asset erc20(String symbol, int decimals, String chain, String address) {
        return new Asset(symbol, decimals, chain, address);
    }

    /** A chain's native coin (ETH on Ethereum and Base). */
    public static Asset nativeCoin(String symbol, int decimals, String chain) {
        return new Asset(symbol, decimals, chain, NATIVE);
    }

    /**
     * Checks a CAIP-2 chain id such as {@code eip155:8453}.
     *
     * @throws InvalidValueException when it is not one
     */
    public static String requireChain(String chain) {
        if (!CAIP2.matcher(chain).matches()) {
            throw new InvalidValueException(
                    "chain '" + chain + "' is not a CAIP-2 chain id: use namespace:reference, e.g. eip155:8453");
        }
        return chain;
    }

    @Override
    public String toString() {
        return symbol + "@" + chain + (token.equals(NATIVE) ? "" : "/" + token);
    }
}
