package dev.forage.tools.inference.ritual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.http.ApiKey;
import dev.forage.tools.inference.TokenPrice;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RitualConfigTest {

    static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    static final Asset DAI = Asset.erc20("DAI", 18, "eip155:31337", "0x0000000000000000000000000000000000000001");

    @Test
    void aNodeNeedsNoKeyAndPollsUnderItsRateLimit() {
        RitualConfig c = RitualConfig.of("ritual", "http://127.0.0.1:4000", USDC, List.of(RitualRoute.embeddings("m", "c")));

        assertThat(c.api().key()).hasToString(ApiKey.none().toString());
        assertThat(c.pollInterval()).as("60 status requests a minute per client").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(c.route("m")).contains(new RitualRoute("m", List.of("c"), JobShape.standard(), OptionalInt.empty(),
                Optional.empty(), false));
        assertThat(c.route("other")).isEmpty();
    }

    @Test
    void invalidSettingsAreRefusedWithTheValue() {
        RitualRoute r = RitualRoute.embeddings("m", "c");
        RitualConfig c = RitualConfig.of("ritual", "http://127.0.0.1:4000", USDC, List.of(r));

        assertThatThrownBy(() -> RitualConfig.of("ritual", "http://127.0.0.1:4000", USDC, List.of(r, r)))
                .hasMessageContaining("two routes for model m");
        assertThatThrownBy(() -> c.withPolling(Duration.ofSeconds(5), Duration.ofSeconds(1))).hasMessageContaining("PT1S");
        assertThatThrownBy(() -> c.withPolling(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RitualConfig.of("ritual", "http://127.0.0.1:4000", USDC, List.of(r.withPrice(
                new TokenPrice(Money.ofUnits(DAI, 1), Money.ofUnits(DAI, 1)))))).hasMessageContaining("not the billing asset");
        assertThatThrownBy(() -> r.withContainers(List.of())).hasMessageContaining("at least one container");
        assertThatThrownBy(() -> r.withDimension(0)).hasMessageContaining("dimension 0");
        assertThatThrownBy(() -> new JobShape("model", " ", "embeddings", "usage")).hasMessageContaining("inputsField");
    }
}
