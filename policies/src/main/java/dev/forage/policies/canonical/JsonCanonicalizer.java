package dev.forage.policies.canonical;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forage.policies.InvalidValueException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * <p>Objects have their members sorted by the UTF-16 code units of their names (which is what
 * {@link String#compareTo} compares), no whitespace is emitted, strings use the minimal JSON
 * escapes, and numbers are IEEE-754 doubles printed as ECMAScript's {@code Number.toString}
 * prints them. The output is UTF-8.
 *
 * <p>Two deliberate restrictions, both from I-JSON (RFC 7493), which RFC 8785 builds on: a
 * string holding a lone surrogate is rejected, and an integer that a double cannot hold exactly
 * (beyond 2^53 in magnitude, say a token amount in wei) is rejected rather than silently
 * rounded; such values belong in JSON strings.
 */
public final class JsonCanonicalizer {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonCanonicalizer() {}

    /**
     * Parses JSON text strictly (duplicate member names and trailing content are errors) and
     * returns its canonical UTF-8 bytes.
     *
     * @throws InvalidValueException if the text is not a single valid JSON value or holds a value
     *     JCS cannot represent
     */
    public static byte[] canonicalize(String json) {
        try {
            return canonicalize(STRICT.readTree(json));
        } catch (JsonProcessingException e) {
            throw new InvalidValueException(
                    "not valid JSON for canonicalization: " + e.getOriginalMessage()
                            + "; give a single JSON value without duplicate member names", e);
        }
    }

    /**
     * The canonical UTF-8 bytes of a JSON tree.
     *
     * @throws InvalidValueException for a non-finite number, an integer a double cannot hold
     *     exactly, or a string with a lone surrogate
     */
    public static byte[] canonicalize(JsonNode node) {
        return canonicalString(node).getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical form as a Java string (encode it as UTF-8 before hashing). */
    public static String canonicalString(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    names.add(it.next());
                }
                names.sort(null); // String order is UTF-16 code unit order, as RFC 8785 3.2.3 asks
                out.append('{');
                boolean first = true;
                for (String name : names) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeString(name, out);
                    out.append(':');
                    write(node.get(name), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> out.append(number(node));
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> throw new InvalidValueException(
                    "cannot canonicalize a JSON node of type " + node.getNodeType()
                            + "; use only objects, arrays, strings, numbers, booleans and null");
        }
    }

    private static String number(JsonNode node) {
        if (node.isIntegralNumber()) {
            BigInteger value = node.bigIntegerValue();
            double d = value.doubleValue();
            // Refused exactly when canonicalization would change the integer's digits. Comparing
            // the text rather than the double's exact value keeps canonicalization idempotent: a
            // double above 2^53 prints as digits (1234567890123456800) that the nearest double
            // does not hold exactly, yet they must read back as the same canonical text.
            String text = Double.isInfinite(d) ? "" : serializeNumber(d);
            if (!text.equals(value.toString())) {
                throw new InvalidValueException("integer " + value + " cannot be held exactly by an"
                        + " IEEE-754 double, so RFC 8785 would change it; put it in a JSON string");
            }
            return text;
        }
        return serializeNumber(node.isBigDecimal() ? node.decimalValue().doubleValue() : node.doubleValue());
    }

    /**
     * ECMAScript {@code Number.prototype.toString} for a finite double (RFC 8785 section 3.2.2.3).
     *
     * @throws InvalidValueException for NaN or an infinity, which JSON cannot represent
     */
    public static String serializeNumber(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new InvalidValueException("number " + value + " has no JSON form; use a finite number");
        }
        if (value == 0) {
            return "0"; // both +0 and -0
        }
        ShortestDecimal shortest = ShortestDecimal.of(Math.abs(value));
        String digits = shortest.digits();
        int k = digits.length();
        int n = shortest.pointPosition();
        StringBuilder out = new StringBuilder(32);
        if (value < 0) {
            out.append('-');
        }
        if (k <= n && n <= 21) {
            out.append(digits).repeat('0', n - k);
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").repeat('0', -n).append(digits);
        } else {
            int exponent = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    out.append(c).append(s.charAt(++i));
                    continue;
                }
                throw loneSurrogate(s, i);
            }
            if (Character.isLowSurrogate(c)) {
                throw loneSurrogate(s, i);
            }
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static InvalidValueException loneSurrogate(String s, int index) {
        return new InvalidValueException(String.format(
                "string has a lone surrogate U+%04X at index %d; JSON text for JCS must be valid Unicode",
                (int) s.charAt(index), index));
    }

    /**
     * The shortest decimal that reads back as the double: value = 0.{@code digits} x 10^{@code
     * pointPosition}. {@link Double#toString} (JDK 19+) already yields the shortest digits,
     * except that where one digit would do it may print two if those are closer (4.9E-324 for
     * 5e-324); ECMAScript wants the one digit, so that case is narrowed here.
     */
    private record ShortestDecimal(String digits, int pointPosition) {

        static ShortestDecimal of(double positive) {
            String text = Double.toString(positive);
            int e = text.indexOf('E');
            String mantissa = e < 0 ? text : text.substring(0, e);
            int exponent = e < 0 ? 0 : Integer.parseInt(text.substring(e + 1));
            int dot = mantissa.indexOf('.');
            String all = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
            int point = dot + exponent;
            int lead = 0;
            while (lead < all.length() - 1 && all.charAt(lead) == '0') {
                lead++;
            }
            int end = all.length();
            while (end > lead + 1 && all.charAt(end - 1) == '0') {
                end--;
            }
            ShortestDecimal found = new ShortestDecimal(all.substring(lead, end), point - lead);
            return found.digits.length() == 2 ? found.narrowToOneDigit(positive) : found;
        }

        private ShortestDecimal narrowToOneDigit(double value) {
            int first = digits.charAt(0) - '0';
            ShortestDecimal down = new ShortestDecimal(Integer.toString(first), pointPosition);
            ShortestDecimal up = first == 9
                    ? new ShortestDecimal("1", pointPosition + 1)
                    : new ShortestDecimal(Integer.toString(first + 1), pointPosition);
            boolean downOk = down.readsBackAs(value);
            boolean upOk = up.readsBackAs(value);
            if (!downOk && !upOk) {
                return this;
            }
            if (downOk != upOk) {
                return downOk ? down : up;
            }
            BigDecimal exact = new BigDecimal(value);
            int cmp = exact.subtract(down.toBigDecimal()).abs()
                    .compareTo(up.toBigDecimal().subtract(exact).abs());
            if (cmp != 0) {
                return cmp < 0 ? down : up;
            }
            return (down.digits.charAt(0) - '0') % 2 == 0 ? down : up;
        }

        private BigDecimal toBigDecimal() {
            return new BigDecimal(new BigInteger(digits), digits.length() - pointPosition);
        }

        private boolean readsBackAs(double value) {
            return Double.parseDouble(digits + "E" + (pointPosition - digits.length())) == value;
        }
    }
}
