package dev.forage.policies.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.policies.testing.Cases;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties of RFC 8785 number serialization over random doubles. */
class JsonCanonicalizerPropertiesTest {

    private static final double[] EDGES = {0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        Double.MAX_VALUE, -Double.MAX_VALUE, 1e21, 1e-7, 9007199254740992.0, 0.1, 5e-324};

    /**
     * A finite double: an edge value one time in ten, else a random bit pattern, a uniform
     * fraction scaled by a random power of ten, or a small integer.
     */
    static double finiteDouble(RandomGenerator random) {
        return switch (random.nextInt(10)) {
            case 0 -> EDGES[random.nextInt(EDGES.length)];
            case 1, 2, 3, 4 -> {
                double d;
                do {
                    d = Double.longBitsToDouble(random.nextLong());
                } while (!Double.isFinite(d));
                yield d;
            }
            case 5, 6, 7 -> (random.nextBoolean() ? 1 : -1) * random.nextDouble() * Math.pow(10, random.nextInt(-30, 31));
            default -> random.nextInt(-1_000_000, 1_000_001);
        };
    }

    static LongStream everyFiniteDoubleReadsBackExactly() {
        return Cases.seeds(3000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void everyFiniteDoubleReadsBackExactly(long seed) {
        double value = finiteDouble(Cases.random(seed));
        Cases.check(seed, value + " (bits " + Long.toHexString(Double.doubleToRawLongBits(value)) + ")", () -> {
            String text = JsonCanonicalizer.serializeNumber(value);

            assertThat(Double.parseDouble(text)).isEqualTo(value == 0 ? 0.0 : value);
            assertThat(text).doesNotContain("E").doesNotContain("+0").doesNotStartWith(".");
        });
    }

    static LongStream bitPatternsReadBackExactlyAndNoShorterDigitsWould() {
        return Cases.seeds(3000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void bitPatternsReadBackExactlyAndNoShorterDigitsWould(long seed) {
        RandomGenerator random = Cases.random(seed);
        // any bit pattern; the few that are not finite non-zero numbers are drawn again
        double drawn;
        do {
            drawn = random.nextInt(10) == 0 ? EDGES[random.nextInt(EDGES.length)] : Double.longBitsToDouble(random.nextLong());
        } while (!Double.isFinite(drawn) || drawn == 0);
        double value = drawn;
        Cases.check(seed, value + " (bits " + Long.toHexString(Double.doubleToRawLongBits(value)) + ")", () -> {
            String text = JsonCanonicalizer.serializeNumber(value);
            String digits = text.replaceFirst("^-", "").replaceFirst("e.*$", "").replace(".", "").replaceFirst("^0+", "")
                    .replaceFirst("0+$", "");

            assertThat(Double.parseDouble(text)).isEqualTo(value);
            // shortest: no decimal with one digit fewer reads back as the same double
            if (digits.length() > 1) {
                BigDecimal exact = new BigDecimal(Math.abs(value));
                BigDecimal shorter = exact.round(new MathContext(digits.length() - 1));
                BigDecimal up = shorter.add(BigDecimal.ONE.movePointLeft(shorter.scale()));
                BigDecimal down = shorter.subtract(BigDecimal.ONE.movePointLeft(shorter.scale()));
                for (BigDecimal candidate : new BigDecimal[] {shorter, up, down}) {
                    assertThat(candidate.doubleValue()).as("%s has fewer digits", candidate).isNotEqualTo(Math.abs(value));
                }
            }
        });
    }
}
