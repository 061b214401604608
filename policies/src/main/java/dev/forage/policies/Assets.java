package dev.forage.policies;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The assets a policy can name, by symbol, so {@code "20 USDC"} in a document means one exact
 * {@link Asset}. Immutable.
 */
public final class Assets {

    private static final Assets EMPTY = new Assets(Map.of());

    private final Map<String, Asset> bySymbol;

    private Assets(Map<String, Asset> bySymbol) {
        this.bySymbol = bySymbol;
    }

    /** No assets. */
    public static Assets empty() {
        return EMPTY;
    }

    /**
     * A registry of the given assets.
     *
     * @throws InvalidValueException when two different assets share a symbol
     */
    public static Assets of(Asset... assets) {
        return EMPTY.with(List.of(assets));
    }

    /**
     * This registry plus {@code more}. Adding an asset that is already present is a no-op.
     *
     * @throws InvalidValueException when a symbol is already taken by a different asset
     */
    public Assets with(Collection<Asset> more) {
        Map<String, Asset> next = new LinkedHashMap<>(bySymbol);
        for (Asset asset : more) {
            Asset previous = next.putIfAbsent(asset.symbol(), asset);
            if (previous != null && !previous.equals(asset)) {
                throw new InvalidValueException(
                        "asset symbol " + asset.symbol() + " is defined twice, as " + previous + " and as " + asset
                                + ": give each a distinct symbol");
            }
        }
        return new Assets(Map.copyOf(next));
    }

    /** The asset with this symbol, if known. */
    public Optional<Asset> find(String symbol) {
        return Optional.ofNullable(bySymbol.get(symbol));
    }

    /**
     * The asset with this symbol.
     *
     * @throws InvalidValueException when none is registered
     */
    public Asset require(String symbol) {
        Asset asset = bySymbol.get(symbol);
        if (asset == null) {
            throw new InvalidValueException(
                    "unknown asset symbol '" + symbol + "': known symbols are " + bySymbol.keySet().stream().sorted().toList()
                            + "; declare it under spec.assets or pass it to the engine");
        }
        return asset;
    }

    /** Every registered asset. */
    public Collection<Asset> all() {
        return bySymbol.values();
    }

    /** Parses {@code "12.50 USDC"}; see {@link Money#parse(String, Assets)}. */
    public Money parse(String text) {
        return Money.parse(text, this);
    }
}
