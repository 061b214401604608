package dev.forage.runtime.deploy;

import dev.forage.policies.Asset;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** The EVM chain the agent pays on: the local devnet, or any chain by its JSON-RPC endpoint. */
public sealed interface Chain {

    /** The devnet. */
    static Chain devnet() {
        return new Devnet();
    }

    /**
     * The local devnet: Anvil with TestUSDC, the ERC-8004 registries and the devnet's providers,
     * all started by the runtime.
     */
    record Devnet() implements Chain {}

    /**
     * A chain reached over JSON-RPC.
     *
     * @param rpcUrl the endpoint, http(s) or ws(s)
     * @param chainId its CAIP-2 id, e.g. {@code eip155:8453}; the runtime checks it against the endpoint
     * @param confirmations blocks to wait before a payment counts, 0 to 1000 (1 when not written)
     * @param token the stablecoin (EIP-3009 ERC-20) contract address, if not the runtime's default for the chain
     * @param tokenDomain the token's EIP-712 domain, if not read from the contract
     */
    record Rpc(URI rpcUrl, String chainId, int confirmations, Optional<String> token, Optional<TokenDomain> tokenDomain)
            implements Chain {

        /** Confirmations when a deployment does not say. */
        public static final int DEFAULT_CONFIRMATIONS = 1;

        private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

        public Rpc {
            Objects.requireNonNull(rpcUrl, "chain.rpcUrl");
            String scheme = rpcUrl.getScheme();
            if (scheme == null || !scheme.matches("https?|wss?") || rpcUrl.getHost() == null) {
                throw new IllegalArgumentException("chain.rpcUrl '" + rpcUrl + "' is not an http, https, ws or wss URL with a host");
            }
            Asset.requireChain(Objects.requireNonNull(chainId, "chain.chainId"));
            if (confirmations < 0 || confirmations > 1000) {
                throw new IllegalArgumentException("chain.confirmations " + confirmations + " must be 0 to 1000");
            }
            Objects.requireNonNull(token, "chain.token");
            Objects.requireNonNull(tokenDomain, "chain.tokenDomain");
            token.ifPresent(t -> {
                if (!ADDRESS.matcher(t).matches()) {
                    throw new IllegalArgumentException("chain.token '" + t + "' is not an EVM address (0x and 40 hex digits)");
                }
            });
        }
    }

    /**
     * A token's EIP-712 domain, which its {@code transferWithAuthorization} signatures are bound to.
     *
     * @param name the domain name, e.g. {@code USD Coin}
     * @param version the domain version, e.g. {@code 2}
     */
    record TokenDomain(String name, String version) {
        public TokenDomain {
            Objects.requireNonNull(name, "tokenDomain.name");
            Objects.requireNonNull(version, "tokenDomain.version");
            if (name.isEmpty() || version.isEmpty()) {
                throw new IllegalArgumentException("chain.tokenDomain needs a name and a version, got '" + name + "' and '"
                        + version + "'");
            }
        }
    }
}
