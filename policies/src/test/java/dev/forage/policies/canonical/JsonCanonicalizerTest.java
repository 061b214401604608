package dev.forage.policies.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.policies.InvalidValueException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonCanonicalizerTest {

    @Test
    void rfc8785Section322Example() {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";

        String canonical = new String(JsonCanonicalizer.canonicalize(input), StandardCharsets.UTF_8);

        assertThat(canonical).isEqualTo("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,"
                + "1e-27],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void rfc8785Section322ExampleUtf8Bytes() {
        String input = "{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
                + "\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\"literals\":[null,true,false]}";

        String hex = HexFormat.of().formatHex(JsonCanonicalizer.canonicalize(input));

        // RFC 8785 section 3.2.4
        assertThat(hex).isEqualTo(("7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72"
                + " 75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a"
                + " 5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31"
                + " 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37"
                + " 5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30"
                + " 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d").replace(" ", ""));
    }

    @Test
    void rfc8785Section323SortsByUtf16CodeUnits() {
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";

        String canonical = new String(JsonCanonicalizer.canonicalize(input), StandardCharsets.UTF_8);

        assertThat(canonical).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    /** RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text. */
    @ParameterizedTest
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2"
    })
    void rfc8785AppendixBNumbers(String bits, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));

        assertThat(JsonCanonicalizer.serializeNumber(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"})
    void rfc8785AppendixBRejectsNanAndInfinity(String bits) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));

        assertThatThrownBy(() -> JsonCanonicalizer.serializeNumber(value))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("no JSON form");
    }

    @Test
    void oneDigitIsPreferredWhereJavaPrintsTwo() {
        assertThat(JsonCanonicalizer.serializeNumber(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(JsonCanonicalizer.serializeNumber(2e-323)).isEqualTo("2e-323");
        assertThat(JsonCanonicalizer.serializeNumber(1e23)).isEqualTo("1e+23");
    }

    @Test
    void integersKeepTheirValueOrAreRefused() {
        ObjectNode ok = JsonNodeFactory.instance.objectNode().put("a", 9007199254740992L).put("b", -42);
        ObjectNode tooBig = JsonNodeFactory.instance.objectNode().put("wei", new BigInteger("1000000000000000001"));

        assertThat(JsonCanonicalizer.canonicalString(ok)).isEqualTo("{\"a\":9007199254740992,\"b\":-42}");
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize(tooBig))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("1000000000000000001")
                .hasMessageContaining("JSON string");
    }

    @Test
    void canonicalOutputOfALargeDoubleCanonicalizesToItself() {
        // found by JsonCanonicalizerFuzzTest: the double 1234567890123456768 prints as
        // 1234567890123456800, which the integer check refused when it came back
        String once = new String(JsonCanonicalizer.canonicalize("[1234567890123456800.0, -1.2345678901234568e18]"),
                java.nio.charset.StandardCharsets.UTF_8);

        assertThat(once).isEqualTo("[1234567890123456800,-1234567890123456800]");
        assertThat(new String(JsonCanonicalizer.canonicalize(once), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(once);
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("1234567890123456789"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("1234567890123456789");
    }

    @Test
    void rejectsLoneSurrogatesDuplicatesAndTrailingContent() {
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("{\"a\":\"\\ud800\"}"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("lone surrogate U+D800");
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("{\"a\":1,\"a\":2}"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("{} {}"))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void escapesOnlyWhatJsonRequires() {
        String canonical = JsonCanonicalizer.canonicalString(
                JsonNodeFactory.instance.textNode("\u0000\u001f\b\f\n\r\t/\u2028<>&\u00e9\""));

        assertThat(canonical).isEqualTo("\"\\u0000\\u001f\\b\\f\\n\\r\\t/\u2028<>&\u00e9\\\"\"");
    }
}
