package dev.forage.tools.compute.akash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.tools.compute.ComputeSpec;
import dev.forage.tools.compute.Prices;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SdlTemplateTest {

    private static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static final SdlTemplate TEMPLATE = SdlTemplate.defaults(Money.of(USDC, "2.71"));

    @Test
    void anH100SpecBecomesAGpuProfileWithModelRamAndACappedPricePerBlock() {
        ComputeSpec spec = ComputeSpec.of("h100", 2, Duration.ofHours(3)).withMinVramGib(80).withImage("vllm/vllm-openai:v0.5.4")
                .withCpuAndMemory(16_500, 65_536);

        Sdl sdl = TEMPLATE.render(spec);

        assertThat(sdl.version().text()).isEqualTo("2.0");
        assertThat(sdl.services().get("forage").image()).isEqualTo("vllm/vllm-openai:v0.5.4");
        Sdl.Resources r = sdl.profiles().compute().get("forage").resources();
        assertThat(r.cpu().units().text()).isEqualTo("16500m");
        assertThat(r.cpu().millis()).isEqualTo(16_500);
        assertThat(r.memory().bytes()).isEqualTo(BigInteger.valueOf(65_536L << 20));
        assertThat(r.gpu()).hasValueSatisfying(g -> {
            assertThat(g.units()).isEqualTo(2);
            assertThat(g.vendors().get("nvidia")).singleElement().satisfies(m -> {
                assertThat(m.model().text()).isEqualTo("h100");
                assertThat(m.ramBytes()).contains(BigInteger.valueOf(80L << 30));
            });
        });
        // 2.71 USD per GPU-hour for 2 GPUs is 5,420,000 micro-USD an hour: 9033.33 per block, rounded down.
        Sdl.Price price = sdl.pricing("akash", "forage").orElseThrow();
        assertThat(price.denom()).isEqualTo("uact");
        assertThat(price.amountDecimal()).isEqualByComparingTo("9033");
        assertThat(Prices.akashPerBlockToHourly(price.amountDecimal(), USDC)).as("a bid at the cap stays within the most")
                .isLessThanOrEqualTo(Money.of(USDC, "5.42"));
        assertThat(sdl.deployment().get("forage").get("akash").count()).isEqualTo(1);
        assertThat(Sdl.parse(sdl.toYaml())).isEqualTo(sdl);
    }

    @Test
    void familiesBecomeABareVendorAndDefaultsFillTheRest() {
        Sdl any = TEMPLATE.render(ComputeSpec.of("any", 1, Duration.ofHours(1)));
        Sdl.Resources r = any.profiles().compute().get("forage").resources();
        assertThat(r.gpu().orElseThrow().vendors()).containsOnlyKeys("nvidia");
        assertThat(r.gpu().orElseThrow().vendors().get("nvidia")).isEmpty();
        assertThat(r.cpu().units().text()).isEqualTo("4");
        assertThat(r.memory().size().text()).isEqualTo("16384Mi");
        assertThat(r.storage()).singleElement().satisfies(s -> assertThat(s.size().text()).isEqualTo("65536Mi"));
        assertThat(any.services().get("forage").image()).isEqualTo("nvidia/cuda:12.4.1-base-ubuntu22.04");
        assertThat(any.services().get("forage").expose()).singleElement().satisfies(e -> {
            assertThat(e.port()).isEqualTo(8080);
            assertThat(e.as()).hasValue(80);
        });
        assertThat(any.toYaml()).contains("nvidia: null");
        assertThat(TEMPLATE.render(ComputeSpec.of("amd", 1, Duration.ofHours(1))).profiles().compute().get("forage").resources()
                .gpu().orElseThrow().vendors()).containsOnlyKeys("amd");
        assertThat(TEMPLATE.render(ComputeSpec.of("rtx 4090", 1, Duration.ofHours(1))).profiles().compute().get("forage")
                .resources().gpu().orElseThrow().vendors().get("nvidia").get(0).model().text()).isEqualTo("rtx4090");
    }

    @Test
    void aRegionBecomesAPlacementAttribute() {
        Sdl sdl = TEMPLATE.render(ComputeSpec.of("a100", 1, Duration.ofHours(1)).withRegion("us-west"));
        assertThat(sdl.profiles().placement().get("akash").attributes().get("region").asText()).isEqualTo("us-west");
        assertThat(TEMPLATE.render(ComputeSpec.of("a100", 1, Duration.ofHours(1))).profiles().placement().get("akash").attributes())
                .isEmpty();
    }

    @Test
    void otherDenomsConvertTheCapWithTheirRate() {
        // AKT at 0.55 USD: one uakt is 0.55 micro-USD; 2.71 USD an hour is 4516.67 micro-USD a block, 8212.12 uakt.
        SdlTemplate uakt = TEMPLATE.withDenom("uakt", new BigDecimal("0.55"));
        assertThat(uakt.maxPricePerBlock(1)).isEqualByComparingTo("8212");
        Sdl sdl = uakt.render(ComputeSpec.of("h100", 1, Duration.ofHours(1)));
        assertThat(sdl.pricing("akash", "forage").orElseThrow().denom()).isEqualTo("uakt");

        String ibc = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1";
        assertThat(TEMPLATE.withDenom(ibc, BigDecimal.ONE).render(ComputeSpec.of("h100", 1, Duration.ofHours(1)))
                .pricing("akash", "forage").orElseThrow().amountDecimal()).isEqualByComparingTo("4516");
    }

    @Test
    void aCapBelowOneUnitPerBlockAndBadNamesAreRefused() {
        assertThatThrownBy(() -> SdlTemplate.defaults(Money.ofUnits(USDC, 599)).maxPricePerBlock(1))
                .hasMessageContaining("below one uact per block");
        assertThatThrownBy(() -> SdlTemplate.defaults(Money.zero(USDC))).hasMessageContaining("above zero");
        assertThatThrownBy(() -> new SdlTemplate("Forage", "akash", "img", 80, 1, 1, 1, "uact", BigDecimal.ONE, Money.of(USDC, "1")))
                .hasMessageContaining("DNS labels");
    }
}
