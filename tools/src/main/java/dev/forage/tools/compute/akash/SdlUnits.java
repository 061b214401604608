package dev.forage.tools.compute.akash;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * The SDL's unit notations, as the Akash node reads them ({@code sdl/units.go}): CPU in cores
 * ({@code 0.5}) or milli-cores ({@code 500m}); memory and storage in bytes with an optional
 * decimal ({@code k M G T P E}) or binary ({@code Ki Mi Gi Ti Pi Ei}) suffix, the value possibly
 * fractional and truncated to whole bytes. Binary suffixes are also accepted in lower case
 * ({@code 512mi}, as some Akash examples write them).
 */
final class SdlUnits {

    private static final List<Map.Entry<String, BigInteger>> SUFFIXES = List.of(
            Map.entry("Ki", BigInteger.TWO.pow(10)), Map.entry("Mi", BigInteger.TWO.pow(20)),
            Map.entry("Gi", BigInteger.TWO.pow(30)), Map.entry("Ti", BigInteger.TWO.pow(40)),
            Map.entry("Pi", BigInteger.TWO.pow(50)), Map.entry("Ei", BigInteger.TWO.pow(60)),
            Map.entry("ki", BigInteger.TWO.pow(10)), Map.entry("mi", BigInteger.TWO.pow(20)),
            Map.entry("gi", BigInteger.TWO.pow(30)), Map.entry("ti", BigInteger.TWO.pow(40)),
            Map.entry("k", BigInteger.TEN.pow(3)), Map.entry("K", BigInteger.TEN.pow(3)),
            Map.entry("M", BigInteger.TEN.pow(6)), Map.entry("G", BigInteger.TEN.pow(9)),
            Map.entry("T", BigInteger.TEN.pow(12)), Map.entry("P", BigInteger.TEN.pow(15)),
            Map.entry("E", BigInteger.TEN.pow(18)));

    /** The most bytes a quantity may state (the node keeps sizes in a uint64). */
    private static final BigInteger MAX_BYTES = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

    /** The longest unit text accepted, so that no decimal of absurd size is ever built. */
    private static final int MAX_TEXT = 40;

    private SdlUnits() {}

    /**
     * Bytes in {@code text} ({@code 512Mi}, {@code 1.5G}, {@code 1073741824}).
     *
     * @throws IllegalArgumentException when it is not a non-negative quantity with a known suffix
     */
    static BigInteger bytes(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > MAX_TEXT) {
            throw new IllegalArgumentException("size '" + text + "' must be a byte quantity such as 512Mi, 1Gi or 1000000");
        }
        BigInteger unit = BigInteger.ONE;
        String digits = t;
        for (Map.Entry<String, BigInteger> s : SUFFIXES) {
            if (t.endsWith(s.getKey())) {
                unit = s.getValue();
                digits = t.substring(0, t.length() - s.getKey().length());
                break;
            }
        }
        BigDecimal value = decimal(digits, "size '" + text + "' must be a byte quantity such as 512Mi, 1Gi or 1000000");
        if (value.signum() < 0) {
            throw new IllegalArgumentException("size '" + text + "' must not be negative");
        }
        BigInteger bytes = value.multiply(new BigDecimal(unit)).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        if (bytes.compareTo(MAX_BYTES) > 0) {
            throw new IllegalArgumentException("size '" + text + "' is larger than any machine (more than 2^64 bytes)");
        }
        return bytes;
    }

    /**
     * Thousandths of a CPU in {@code text} ({@code 1}, {@code 0.5}, {@code 100m}).
     *
     * @throws IllegalArgumentException when it is not a non-negative CPU quantity
     */
    static long cpuMillis(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > MAX_TEXT) {
            throw new IllegalArgumentException("cpu units '" + text + "' must be cores (1, 0.5) or milli-cores (500m)");
        }
        BigDecimal millis;
        if (t.endsWith("m")) {
            String digits = t.substring(0, t.length() - 1);
            if (!digits.matches("[0-9]+")) {
                throw new IllegalArgumentException("cpu units '" + text + "' must be a whole number of milli-cores, e.g. 500m");
            }
            millis = new BigDecimal(digits);
        } else {
            millis = decimal(t, "cpu units '" + text + "' must be cores (1, 0.5) or milli-cores (500m)")
                    .multiply(BigDecimal.valueOf(1000));
        }
        if (millis.signum() < 0) {
            throw new IllegalArgumentException("cpu units '" + text + "' must not be negative");
        }
        // The node keeps CPU in a uint32 of milli-cores.
        if (millis.compareTo(BigDecimal.valueOf(4_294_967_295L)) > 0) {
            throw new IllegalArgumentException("cpu units '" + text + "' exceed 4294967295 milli-cores");
        }
        return millis.setScale(0, RoundingMode.DOWN).longValueExact();
    }

    /** A plain decimal ({@code 1}, {@code 0.5}, {@code 1e3}, {@code .5}), or the failure {@code problem}. */
    static BigDecimal decimal(String text, String problem) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > MAX_TEXT || !t.matches("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?")) {
            throw new IllegalArgumentException(problem);
        }
        return new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
    }
}
