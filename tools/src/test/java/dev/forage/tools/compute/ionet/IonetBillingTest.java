package dev.forage.tools.compute.ionet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import java.time.Duration;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class IonetBillingTest {

    private static final Asset USDC = Asset.erc20("USDC", 6, "eip155:31337", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static final Money TWO_DOLLARS = Money.ofUnits(USDC, 2_000_000);

    @Test
    void theDocumentedExampleThreeHoursPrepaidDeletedAfterOnePointTwo() {
        Duration used = Duration.ofMinutes(72);

        assertThat(IonetBilling.prepaid(TWO_DOLLARS, 3)).isEqualTo(Money.ofUnits(USDC, 6_000_000));
        assertThat(IonetBilling.charged(TWO_DOLLARS, 3, used)).isEqualTo(Money.ofUnits(USDC, 2_400_000));
        assertThat(IonetBilling.refund(TWO_DOLLARS, 3, used)).isEqualTo(Money.ofUnits(USDC, 3_600_000));
    }

    @Test
    void theFirstHourIsNeverRefunded() {
        assertThat(IonetBilling.charged(TWO_DOLLARS, 3, Duration.ZERO)).isEqualTo(TWO_DOLLARS);
        assertThat(IonetBilling.charged(TWO_DOLLARS, 3, Duration.ofMinutes(59))).isEqualTo(TWO_DOLLARS);
        assertThat(IonetBilling.charged(TWO_DOLLARS, 1, Duration.ofMinutes(1))).isEqualTo(TWO_DOLLARS);
        assertThat(IonetBilling.refund(TWO_DOLLARS, 1, Duration.ofMinutes(1))).isEqualTo(Money.zero(USDC));
        assertThat(IonetBilling.refund(TWO_DOLLARS, 5, Duration.ofMinutes(30))).isEqualTo(Money.ofUnits(USDC, 8_000_000));
    }

    @Test
    void afterTheFirstHourTheExactTimeIsChargedRoundedUpAndNeverMoreThanPrepaid() {
        Money odd = Money.ofUnits(USDC, 2_710_001);
        // 61 min at 2.710001/h = 2.75516768... → 2.755168 (rounded up).
        assertThat(IonetBilling.charged(odd, 2, Duration.ofMinutes(61))).isEqualTo(Money.ofUnits(USDC, 2_755_168));
        assertThat(IonetBilling.refund(odd, 2, Duration.ofMinutes(61))).isEqualTo(Money.ofUnits(USDC, 2_664_834));
        assertThat(IonetBilling.charged(odd, 2, Duration.ofHours(5))).as("ran past the prepaid time")
                .isEqualTo(Money.ofUnits(USDC, 5_420_002));
        assertThat(IonetBilling.refund(odd, 2, Duration.ofHours(5))).isEqualTo(Money.zero(USDC));
    }

    @Test
    void chargePlusRefundIsAlwaysThePrepaidTotalAndTheChargeIsMonotone() {
        long seed = 0x10_4E7L;
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        for (int i = 0; i < 2_000; i++) {
            Money price = Money.ofUnits(USDC, 1 + random.nextLong(20_000_000));
            long hours = 1 + random.nextLong(200);
            Duration used = Duration.ofMillis(random.nextLong(Duration.ofHours(hours + 2).toMillis()));
            Duration later = used.plusMillis(random.nextLong(3_600_000));
            String input = "seed " + seed + ", case " + i + ": " + price + "/h, " + hours + " h, used " + used;

            Money charged = IonetBilling.charged(price, hours, used);
            assertThat(charged.plus(IonetBilling.refund(price, hours, used))).as(input)
                    .isEqualTo(IonetBilling.prepaid(price, hours));
            assertThat(charged).as(input).isGreaterThanOrEqualTo(price).isLessThanOrEqualTo(IonetBilling.prepaid(price, hours));
            assertThat(IonetBilling.charged(price, hours, later)).as(input).isGreaterThanOrEqualTo(charged);
        }
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> IonetBilling.charged(TWO_DOLLARS, 0, Duration.ZERO)).hasMessageContaining("prepaid hours 0");
        assertThatThrownBy(() -> IonetBilling.charged(TWO_DOLLARS, 1, Duration.ofSeconds(-1))).hasMessageContaining("negative");
    }
}
