package dev.forage.policies;

import static dev.forage.policies.testing.Fixtures.ASSETS;
import static dev.forage.policies.testing.Fixtures.DEVNET_USDC;
import static dev.forage.policies.testing.Fixtures.ETH;
import static dev.forage.policies.testing.Fixtures.USDC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.policies.testing.Cases;
import java.math.BigInteger;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({
            "12.50 USDC, 12500000, 12.50 USDC",
            "12.5 USDC, 12500000, 12.50 USDC",
            "12 USDC, 12000000, 12.00 USDC",
            "0.000001 USDC, 1, 0.000001 USDC",
            "0 USDC, 0, 0.00 USDC",
            "'  7.25   USDC ', 7250000, 7.25 USDC",
            "1.000000000000000001 ETH, 1000000000000000001, 1.000000000000000001 ETH",
    })
    void parses_and_prints_exact_amounts(String text, String units, String printed) {
        Money m = Money.parse(text, ASSETS);

        assertThat(m.units()).isEqualTo(new BigInteger(units));
        assertThat(m.toString()).isEqualTo(printed);
        assertThat(Money.parse(m.toString(), ASSETS)).isEqualTo(m);
    }

    @Test
    void prints_assets_without_decimals_as_integers() {
        Asset points = Asset.nativeCoin("PTS", 0, "eip155:1");

        assertThat(Money.ofUnits(points, 42).toString()).isEqualTo("42 PTS");
        assertThat(Money.of(points, "42").units()).isEqualTo(BigInteger.valueOf(42));
    }

    @Test
    void rejects_more_decimals_than_the_asset_has() {
        assertThatThrownBy(() -> Money.parse("1.0000001 USDC", ASSETS))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("'1.0000001 USDC' has 7 decimals but USDC has only 6");
    }

    @Test
    void rejects_negative_amounts() {
        assertThatThrownBy(() -> Money.parse("-1 USDC", ASSETS))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> Money.ofUnits(USDC, -1))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("negative (-1 units)");
        assertThat(Money.parse("-0.00 USDC", ASSETS).isZero()).isTrue();
    }

    @Test
    void rejects_overflow_beyond_uint256() {
        assertThatThrownBy(() -> Money.ofUnits(USDC, Money.MAX_UNITS.add(BigInteger.ONE)))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("overflows uint256");
        assertThatThrownBy(() -> Money.parse("1" + "0".repeat(80) + " USDC", ASSETS))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("overflows uint256");
        Money max = Money.ofUnits(USDC, Money.MAX_UNITS);
        assertThatThrownBy(() -> max.plus(Money.ofUnits(USDC, 1)))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("overflows");
    }

    @Test
    void rejects_malformed_text_and_unknown_symbols() {
        assertThatThrownBy(() -> Money.parse("12,50 USDC", ASSETS))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("write it like '12.50 USDC'");
        assertThatThrownBy(() -> Money.parse("12.50", ASSETS)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Money.parse("1e3 USDC", ASSETS)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Money.parse("12 USDT", ASSETS))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("unknown asset symbol 'USDT'");
        assertThatThrownBy(() -> Money.of(USDC, "abc")).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void arithmetic_stays_exact_within_one_asset() {
        Money a = Money.of(USDC, "0.10");
        Money b = Money.of(USDC, "0.20");

        assertThat(a.plus(b)).isEqualTo(Money.of(USDC, "0.30"));
        assertThat(b.minus(a)).isEqualTo(a);
        assertThat(a.minusOrZero(b).isZero()).isTrue();
        assertThat(b.isGreaterThan(a)).isTrue();
        assertThat(a.compareTo(Money.of(USDC, "0.1"))).isZero();
        assertThatThrownBy(() -> a.minus(b))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("would be negative");
    }

    @Test
    void arithmetic_across_assets_is_an_error_even_with_the_same_symbol() {
        Money base = Money.of(USDC, "1");
        Money devnet = Money.of(DEVNET_USDC, "1");
        Money eth = Money.of(ETH, "1");

        assertThatThrownBy(() -> base.plus(eth))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("different assets never mix");
        assertThatThrownBy(() -> base.compareTo(devnet)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> base.minus(devnet)).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void saturates_to_long_for_cel() {
        assertThat(Money.of(ETH, "100").unitsSaturated()).isEqualTo(Long.MAX_VALUE);
        assertThat(Money.of(USDC, "100").unitsSaturated()).isEqualTo(100_000_000L);
    }

    static LongStream printing_then_parsing_is_the_identity() {
        return Cases.seeds(200);
    }

    private static final BigInteger MAX_PRINTED = BigInteger.TEN.pow(21);
    private static final List<BigInteger> EDGES = List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TEN.pow(6).subtract(BigInteger.ONE),
            BigInteger.TEN.pow(6), BigInteger.TEN.pow(18), BigInteger.TEN.pow(18).add(BigInteger.ONE), MAX_PRINTED);

    /** A number of base units from 0 to 10^21: an edge value one time in eight, else of a random bit length. */
    private static BigInteger units(RandomGenerator random) {
        if (random.nextInt(8) == 0) {
            return EDGES.get(random.nextInt(EDGES.size()));
        }
        return new BigInteger(random.nextInt(71), java.util.Random.from(random)).mod(MAX_PRINTED.add(BigInteger.ONE));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void printing_then_parsing_is_the_identity(long seed) {
        BigInteger units = units(Cases.random(seed));
        Cases.check(seed, units + " units", () -> {
            for (Asset asset : new Asset[] {USDC, ETH}) {
                Money m = Money.ofUnits(asset, units);
                assertThat(Money.parse(m.toString(), ASSETS)).as("%s parsed back", m).isEqualTo(m);
            }
        });
    }

    @Test
    void assets_are_validated_and_tokens_normalised() {
        assertThat(USDC.token()).isEqualTo("0x833589fcd6edb6e08f4c7c32d4f71b54bda02913");
        assertThatThrownBy(() -> Asset.erc20("USDC", 6, "base", "0x00"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("CAIP-2");
        assertThatThrownBy(() -> Asset.erc20("USDC", 6, "eip155:1", "0x1234"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("20-byte hex address");
        assertThatThrownBy(() -> Asset.nativeCoin("ETH", 37, "eip155:1"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("0 to 36");
        assertThatThrownBy(() -> Asset.nativeCoin("1ETH", 18, "eip155:1"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("symbol");
    }

    @Test
    void a_registry_refuses_two_assets_with_one_symbol() {
        assertThatThrownBy(() -> Assets.of(USDC, Asset.erc20("USDC", 6, "eip155:1", "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48")))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("defined twice");
        assertThat(Assets.of(USDC, USDC).all()).containsExactly(USDC);
        assertThat(ASSETS.find("ETH")).contains(ETH);
        assertThat(ASSETS.find("DOGE")).isEmpty();
    }
}
