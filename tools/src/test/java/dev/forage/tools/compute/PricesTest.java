package dev.forage.tools.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PricesTest {

    private static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x5fbdb2315678afecb367f032d93f642f64180aa3");

    @Test
    void usdPricesRoundUpToTheNextBaseUnit() {
        assertThat(Prices.usd(new BigDecimal("2.71"), USDC)).isEqualTo(Money.ofUnits(USDC, 2_710_000));
        assertThat(Prices.usd(new BigDecimal("0.0000001"), USDC)).isEqualTo(Money.ofUnits(USDC, 1));
        assertThat(Prices.usd(new BigDecimal("1.2345671"), USDC)).isEqualTo(Money.ofUnits(USDC, 1_234_568));
        assertThat(Prices.usd(BigDecimal.ZERO, USDC)).isEqualTo(Money.zero(USDC));
        assertThatThrownBy(() -> Prices.usd(new BigDecimal("-1"), USDC)).hasMessageContaining("negative");
    }

    @Test
    void akashMicroUsdPerBlockIsSixHundredBlocksAnHour() {
        // The $2.71/h H100 list price is about 4,517 uact per block (reference section 1).
        assertThat(Prices.akashPerBlockToHourly(new BigDecimal("4517"), USDC)).isEqualTo(Money.ofUnits(USDC, 2_710_200));
        assertThat(Prices.akashPerBlockToHourly(new BigDecimal("4516.666667"), USDC)).isEqualTo(Money.ofUnits(USDC, 2_710_001));
    }

    @Test
    void aTotalForSeveralHoursIsAnHourlyPriceRoundedUp() {
        assertThat(Prices.usdPerHour(new BigDecimal("8.13"), 3, USDC)).isEqualTo(Money.ofUnits(USDC, 2_710_000));
        assertThat(Prices.usdPerHour(new BigDecimal("10"), 3, USDC)).isEqualTo(Money.ofUnits(USDC, 3_333_334));
        assertThat(Prices.usdPerHour(new BigDecimal("0.0000001"), 1, USDC)).isEqualTo(Money.ofUnits(USDC, 1));
        assertThatThrownBy(() -> Prices.usdPerHour(new BigDecimal("1"), 0, USDC)).hasMessageContaining("hours 0");
        assertThatThrownBy(() -> Prices.usdPerHour(new BigDecimal("-1"), 1, USDC)).hasMessageContaining("negative");
    }

    @Test
    void proratingIsExactAndRoundsUp() {
        Money perHour = Money.ofUnits(USDC, 2_710_000);
        assertThat(Prices.prorate(perHour, Duration.ofHours(2))).isEqualTo(Money.ofUnits(USDC, 5_420_000));
        assertThat(Prices.prorate(perHour, Duration.ofMinutes(1))).isEqualTo(Money.ofUnits(USDC, 45_167));
        assertThat(Prices.prorate(perHour, Duration.ofNanos(1))).isEqualTo(Money.ofUnits(USDC, 1));
    }
}
