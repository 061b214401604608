package dev.forage.tools.inference.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.inference.TokenPrice;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleConfigTest {

    static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    static final Asset DAI = Asset.erc20("DAI", 18, "eip155:31337", "0x0000000000000000000000000000000000000001");

    @Test
    void theGenericPresetHoldsTheKeysVariableNameNeverAKey() {
        OpenAiCompatibleConfig c = OpenAiCompatibleConfig.openAi("devnet-node-1", "http://127.0.0.1:40123/v1",
                ApiKey.fromEnv("DEVNET_NODE_KEY"), USDC);

        assertThat(c.api().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:40123/v1/"));
        assertThat(c.api().key().toString()).isEqualTo("ApiKey[env DEVNET_NODE_KEY]");
        assertThat(c.listing()).isEqualTo(new ModelListing.Envelope("models"));
        assertThat(c.checks()).isEqualTo(OpenAiCompatibleConfig.Checks.strict());
        assertThat(c.priceTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> ApiKey.fromEnv("sk-live-1234 abcd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not the key");
    }

    @Test
    void withersChangeOneThingEach() {
        OpenAiCompatibleConfig c = OpenAiCompatibleConfig.together(ApiKey.none(), USDC)
                .withBaseUrl("http://127.0.0.1:9/v1").withDimension("m", 768).withModelPrefix("p/")
                .withUsageRequired(true, false).withTimeout(Duration.ofSeconds(5)).withMaxResponseBytes(4096)
                .withPriceTtl(Duration.ZERO);

        assertThat(c.id()).isEqualTo("together");
        assertThat(c.api().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9/v1/"));
        assertThat(c.checks()).isEqualTo(new OpenAiCompatibleConfig.Checks(Map.of("m", 768), List.of("p/"), true, false));
        assertThat(c.api().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.api().maxResponseBytes()).isEqualTo(4096);
        assertThat(c.listing()).isEqualTo(new ModelListing.BareArray("models"));
    }

    @Test
    void invalidSettingsAreRefusedWithTheValue() {
        OpenAiCompatibleConfig c = OpenAiCompatibleConfig.ioNet(ApiKey.none(), USDC);

        assertThatThrownBy(() -> c.withDimension("m", 0)).hasMessageContaining("dimension of m is 0");
        assertThatThrownBy(() -> c.withModelPrefix("")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> c.withPriceTtl(Duration.ofSeconds(-1))).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> c.withPrice("m", new TokenPrice(Money.ofUnits(DAI, 1), Money.ofUnits(DAI, 1))))
                .hasMessageContaining("not the billing asset");
        assertThatThrownBy(() -> new ModelListing.Paginated("models", 101, 5, 1_000_000)).hasMessageContaining("101");
        assertThatThrownBy(() -> new ModelListing.Envelope("/v1/models")).hasMessageContaining("/v1/models");
        assertThatThrownBy(() -> new ModelListing.Pages(URI.create("https://api.chutes.ai/"), "chutes/", 0, 5))
                .hasMessageContaining("limit 0");
    }
}
