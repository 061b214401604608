package dev.forage.tools.x402;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.ChainId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The v1 network names against the reference table: {@code EVM_NETWORK_CHAIN_ID_MAP} of
 * {@code @x402/evm} (coinbase/x402, 23 names), written out here independently of
 * {@link X402Networks}, plus Forage's {@code anvil}.
 */
class X402NetworksTest {

    /** The reference table, in its order. */
    private static final Map<String, Long> REFERENCE = referenceTable();

    private static Map<String, Long> referenceTable() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ethereum", 1L);
        m.put("sepolia", 11_155_111L);
        m.put("abstract", 2741L);
        m.put("abstract-testnet", 11_124L);
        m.put("base-sepolia", 84_532L);
        m.put("base", 8453L);
        m.put("avalanche-fuji", 43_113L);
        m.put("avalanche", 43_114L);
        m.put("iotex", 4689L);
        m.put("sei", 1329L);
        m.put("sei-testnet", 1328L);
        m.put("polygon", 137L);
        m.put("polygon-amoy", 80_002L);
        m.put("peaq", 3338L);
        m.put("story", 1514L);
        m.put("educhain", 41_923L);
        m.put("skale-base-sepolia", 324_705_682L);
        m.put("megaeth", 4326L);
        m.put("monad", 143L);
        m.put("stable", 988L);
        m.put("stable-testnet", 2201L);
        m.put("celo", 42_220L);
        m.put("flare", 14L);
        return m;
    }

    private final X402Networks networks = X402Networks.defaults();

    @Test
    void theDefaultsAreExactlyTheReferenceTablePlusAnvil() {
        Map<String, ChainId> expected = new LinkedHashMap<>();
        REFERENCE.forEach((name, id) -> expected.put(name, ChainId.eip155(id)));
        expected.put("anvil", ChainId.eip155(31_337));

        assertThat(REFERENCE).hasSize(23);
        assertThat(networks.v1Names()).containsExactlyEntriesOf(expected);
    }

    @Test
    void everyNameMapsToItsChainAndBack() {
        Map<String, Long> all = new LinkedHashMap<>(REFERENCE);
        all.put("anvil", 31_337L);

        all.forEach((name, id) -> {
            ChainId chain = ChainId.eip155(id);
            assertThat(networks.chainOf(name)).as(name).contains(chain);
            assertThat(networks.v1Name(chain)).as("v1 name of %s", chain).contains(name);
            assertThat(networks.networkString(chain, 1)).as(name).isEqualTo(name);
            assertThat(networks.networkString(chain, 2)).as(name).isEqualTo("eip155:" + id);
            assertThat(networks.chainOf("eip155:" + id)).as("CAIP-2 of %s", name).contains(chain);
        });
    }

    @Test
    void theNamesTheIssueFoundMissingAreKnown() {
        assertThat(networks.chainOf("megaeth")).contains(ChainId.eip155(4326));
        assertThat(networks.chainOf("monad")).contains(ChainId.eip155(143));
        assertThat(networks.chainOf("stable")).contains(ChainId.eip155(988));
        assertThat(networks.chainOf("stable-testnet")).contains(ChainId.eip155(2201));
        assertThat(networks.chainOf("celo")).contains(ChainId.eip155(42_220));
        assertThat(networks.chainOf("flare")).contains(ChainId.eip155(14));
    }

    @Test
    void aChainWithoutAV1NameIsWrittenAsCaip2AndUnknownNamesResolveToNothing() {
        ChainId arbitrum = ChainId.eip155(42_161);

        assertThat(networks.v1Name(arbitrum)).isEmpty();
        assertThat(networks.networkString(arbitrum, 1)).isEqualTo("eip155:42161");
        assertThat(networks.chainOf("arbitrum")).isEmpty();
        assertThat(networks.chainOf("solana")).isEmpty();
        assertThat(networks.chainOf("eip155:not-a-number")).isEmpty();
    }

    @Test
    void anAddedNameMapsBothWaysAndABadNameIsRefused() {
        X402Networks more = networks.withName("arbitrum", ChainId.eip155(42_161));

        assertThat(more.chainOf("arbitrum")).contains(ChainId.eip155(42_161));
        assertThat(more.v1Name(ChainId.eip155(42_161))).contains("arbitrum");
        assertThat(more.v1Names()).hasSize(25);
        assertThat(networks.v1Names()).as("the defaults are unchanged").hasSize(24);
        assertThatThrownBy(() -> networks.withName("Arbitrum One", ChainId.eip155(42_161)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Arbitrum One'");
    }
}
