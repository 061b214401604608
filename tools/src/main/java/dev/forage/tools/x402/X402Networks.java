package dev.forage.tools.x402;

import dev.forage.identity.ChainId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * x402 network names: v2 uses CAIP-2 ids ({@code eip155:84532}); v1 uses names such as
 * {@code base-sepolia}. This maps v1 names to chains, with the EVM names of the x402
 * reference implementation and, for the Forage devnet, {@code anvil} for chain 31337.
 *
 * <p>The reference table is {@code EVM_NETWORK_CHAIN_ID_MAP} of the TypeScript package
 * {@code @x402/evm} (coinbase/x402, {@code typescript/packages/mechanisms/evm}), the names its v1
 * client and facilitator accept: 23 names, one per chain. Keep {@link #defaults()} equal to it
 * ({@code X402NetworksTest} lists it) when the reference adds names.
 */
public final class X402Networks {

    /** In insertion order, so that {@link #v1Names()} lists them as {@link #defaults()} does. */
    private final Map<String, Long> byName;

    private X402Networks(Map<String, Long> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** The reference implementation's 23 EVM v1 names, in its order, plus {@code anvil} (31337). */
    public static X402Networks defaults() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ethereum", 1L);
        m.put("sepolia", 11155111L);
        m.put("abstract", 2741L);
        m.put("abstract-testnet", 11124L);
        m.put("base-sepolia", 84532L);
        m.put("base", 8453L);
        m.put("avalanche-fuji", 43113L);
        m.put("avalanche", 43114L);
        m.put("iotex", 4689L);
        m.put("sei", 1329L);
        m.put("sei-testnet", 1328L);
        m.put("polygon", 137L);
        m.put("polygon-amoy", 80002L);
        m.put("peaq", 3338L);
        m.put("story", 1514L);
        m.put("educhain", 41923L);
        m.put("skale-base-sepolia", 324705682L);
        m.put("megaeth", 4326L);
        m.put("monad", 143L);
        m.put("stable", 988L);
        m.put("stable-testnet", 2201L);
        m.put("celo", 42220L);
        m.put("flare", 14L);
        m.put("anvil", 31337L);
        return new X402Networks(m);
    }

    /** These names plus {@code name} for {@code chain} (replacing an earlier meaning of the name). */
    public X402Networks withName(String name, ChainId chain) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("x402 v1 network name '" + name + "' must be lower-case letters, digits and dashes");
        }
        Map<String, Long> m = new LinkedHashMap<>(byName);
        m.put(name, chain.evmChainId());
        return new X402Networks(m);
    }

    /**
     * The chain a network string names: a CAIP-2 id (any version) or a v1 name.
     *
     * @return empty when the string is neither a known name nor an EVM CAIP-2 id
     */
    public Optional<ChainId> chainOf(String network) {
        if (network == null) {
            return Optional.empty();
        }
        Long id = byName.get(network);
        if (id != null) {
            return Optional.of(ChainId.eip155(id));
        }
        if (network.startsWith(ChainId.EIP155 + ":")) {
            try {
                return Optional.of(ChainId.parse(network));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Every v1 name and its chain, in the order they were added. */
    public Map<String, ChainId> v1Names() {
        Map<String, ChainId> names = new LinkedHashMap<>();
        byName.forEach((name, id) -> names.put(name, ChainId.eip155(id)));
        return Collections.unmodifiableMap(names);
    }

    /** The v1 name of {@code chain}, if it has one (the first added, should two names share a chain). */
    public Optional<String> v1Name(ChainId chain) {
        if (!chain.isEvm()) {
            return Optional.empty();
        }
        long id = chain.evmChainId();
        return byName.entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey).findFirst();
    }

    /** How {@code chain} is written in {@code x402Version}: CAIP-2 for 2, the v1 name (or CAIP-2 if none) for 1. */
    public String networkString(ChainId chain, int x402Version) {
        return x402Version == 1 ? v1Name(chain).orElse(chain.toString()) : chain.toString();
    }
}
