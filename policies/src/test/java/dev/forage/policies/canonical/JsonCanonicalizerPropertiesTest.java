package dev.forage.policies.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Properties of RFC 8785 number serialization over random doubles. */
class JsonCanonicalizerPropertiesTest {

    @Property(tries = 3000)
    void everyFiniteDoubleReadsBackExactly(@ForAll double value) {
        String text = JsonCanonicalizer.serializeNumber(value);

        assertThat(Double.parseDouble(text)).isEqualTo(value == 0 ? 0.0 : value);
        assertThat(text).doesNotContain("E").doesNotContain("+0").doesNotStartWith(".");
    }

    @Property(tries = 3000)
    void bitPatternsReadBackExactlyAndNoShorterDigitsWould(@ForAll long bits) {
        double value = Double.longBitsToDouble(bits);
        if (!Double.isFinite(value) || value == 0) {
            return;
        }
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
                assertThat(candidate.doubleValue()).isNotEqualTo(Math.abs(value));
            }
        }
    }
}
