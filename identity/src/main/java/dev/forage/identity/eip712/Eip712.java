package dev.forage.identity.eip712;

import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * EIP-712 encoding and hashing, exactly as the specification defines {@code encodeType},
 * {@code hashStruct}, {@code encodeData} and the signing digest, with arrays (dynamic and
 * fixed, nested) and nested structs.
 */
public final class Eip712 {

    private static final Pattern ARRAY = Pattern.compile("^(.*)\\[(\\d*)]$");
    private static final Pattern UINT = Pattern.compile("^uint(\\d{1,3})$");
    private static final Pattern INT = Pattern.compile("^int(\\d{1,3})$");
    private static final Pattern BYTES_N = Pattern.compile("^bytes(\\d{1,2})$");

    private Eip712() {}

    /** {@code keccak256("\x19\x01" || domainSeparator || hashStruct(message))}, 32 bytes. */
    public static byte[] digest(TypedData data) {
        byte[] buf = new byte[66];
        buf[0] = 0x19;
        buf[1] = 0x01;
        System.arraycopy(domainSeparator(data), 0, buf, 2, 32);
        System.arraycopy(hashStruct(data, data.primaryType(), data.message()), 0, buf, 34, 32);
        return Hash.sha3(buf);
    }

    /** {@code hashStruct(EIP712Domain, domain)}. */
    public static byte[] domainSeparator(TypedData data) {
        return hashStruct(data, TypedData.DOMAIN_TYPE, data.domain());
    }

    /** {@code keccak256(typeHash || encodeData(value))} for a struct value. */
    public static byte[] hashStruct(TypedData data, String type, Map<String, ?> value) {
        return Hash.sha3(encodeData(data, type, value));
    }

    /** {@code keccak256(encodeType(type))}. */
    public static byte[] typeHash(TypedData data, String type) {
        return Hash.sha3(encodeType(data, type).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The type string: the type's own definition followed by the definitions of every struct
     * it references, directly or not, sorted by name.
     */
    public static String encodeType(TypedData data, String type) {
        Set<String> deps = new LinkedHashSet<>();
        collectDependencies(data, type, deps);
        deps.remove(type);
        List<String> ordered = new ArrayList<>();
        ordered.add(type);
        ordered.addAll(new TreeSet<>(deps));
        StringBuilder out = new StringBuilder();
        for (String t : ordered) {
            out.append(t).append('(');
            List<TypedData.Field> fields = fields(data, t);
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(fields.get(i).type()).append(' ').append(fields.get(i).name());
            }
            out.append(')');
        }
        return out.toString();
    }

    /**
     * Recovers the address that made {@code signature} over {@code digest}.
     *
     * @throws IllegalArgumentException if no key can be recovered from the signature
     */
    public static Address recover(byte[] digest, Signature signature) {
        Sign.SignatureData sd = new Sign.SignatureData(
                (byte) signature.v(),
                Numeric.toBytesPadded(signature.r(), 32),
                Numeric.toBytesPadded(signature.s(), 32));
        try {
            BigInteger publicKey = Sign.signedMessageHashToKey(digest, sd);
            return Address.parse("0x" + Keys.getAddress(publicKey));
        } catch (SignatureException | RuntimeException e) {
            throw new IllegalArgumentException("no signer can be recovered from signature " + signature + ": "
                    + e.getMessage(), e);
        }
    }

    private static void collectDependencies(TypedData data, String type, Set<String> out) {
        String base = baseType(type);
        if (!data.types().containsKey(base) || !out.add(base)) {
            return;
        }
        for (TypedData.Field f : data.types().get(base)) {
            collectDependencies(data, f.type(), out);
        }
    }

    private static String baseType(String type) {
        int bracket = type.indexOf('[');
        return bracket < 0 ? type : type.substring(0, bracket);
    }

    private static List<TypedData.Field> fields(TypedData data, String type) {
        List<TypedData.Field> fields = data.types().get(type);
        if (fields == null) {
            throw new IllegalArgumentException("EIP-712 type '" + type + "' is not defined in types " + data.types().keySet());
        }
        return fields;
    }

    private static byte[] encodeData(TypedData data, String type, Map<String, ?> value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(typeHash(data, type));
        for (TypedData.Field f : fields(data, type)) {
            if (!value.containsKey(f.name())) {
                throw new IllegalArgumentException("EIP-712 " + type + "." + f.name() + " (" + f.type() + ") has no value");
            }
            out.writeBytes(encodeValue(data, f.type(), value.get(f.name()), type + "." + f.name()));
        }
        return out.toByteArray();
    }

    private static byte[] encodeValue(TypedData data, String type, Object value, String path) {
        if (value == null) {
            throw new IllegalArgumentException("EIP-712 " + path + " (" + type + ") is null");
        }
        Matcher array = ARRAY.matcher(type);
        if (array.matches()) {
            if (!(value instanceof List<?> items)) {
                throw new IllegalArgumentException("EIP-712 " + path + " is a " + type + " but its value is not a list: " + value);
            }
            if (!array.group(2).isEmpty() && items.size() != Integer.parseInt(array.group(2))) {
                throw new IllegalArgumentException("EIP-712 " + path + " is a " + type + " but has " + items.size() + " items");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < items.size(); i++) {
                out.writeBytes(encodeValue(data, array.group(1), items.get(i), path + "[" + i + "]"));
            }
            return Hash.sha3(out.toByteArray());
        }
        if (data.types().containsKey(type)) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("EIP-712 " + path + " is a " + type + " struct but its value is not an object: " + value);
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> struct = (Map<String, ?>) map;
            return hashStruct(data, type, struct);
        }
        return switch (type) {
            case "string" -> Hash.sha3(text(value, path).getBytes(StandardCharsets.UTF_8));
            case "bytes" -> Hash.sha3(bytes(value, path));
            case "bool" -> word(BigInteger.valueOf(bool(value, path) ? 1 : 0));
            case "address" -> word(new BigInteger(1, address(value, path).bytes()));
            default -> encodeAtomic(type, value, path);
        };
    }

    private static byte[] encodeAtomic(String type, Object value, String path) {
        Matcher m = UINT.matcher(type);
        if (m.matches()) {
            int bits = bits(m.group(1), type);
            BigInteger n = integer(value, path);
            if (n.signum() < 0 || n.bitLength() > bits) {
                throw new IllegalArgumentException("EIP-712 " + path + " value " + n + " does not fit " + type);
            }
            return word(n);
        }
        m = INT.matcher(type);
        if (m.matches()) {
            int bits = bits(m.group(1), type);
            BigInteger n = integer(value, path);
            if (n.bitLength() > bits - 1) {
                throw new IllegalArgumentException("EIP-712 " + path + " value " + n + " does not fit " + type);
            }
            return word(n.signum() < 0 ? BigInteger.TWO.pow(256).add(n) : n);
        }
        m = BYTES_N.matcher(type);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            if (n < 1 || n > 32) {
                throw new IllegalArgumentException("EIP-712 type " + type + " at " + path + " is not bytes1..bytes32");
            }
            byte[] b = bytes(value, path);
            if (b.length != n) {
                throw new IllegalArgumentException("EIP-712 " + path + " is " + type + " but has " + b.length + " bytes");
            }
            byte[] out = new byte[32];
            System.arraycopy(b, 0, out, 0, n);
            return out;
        }
        throw new IllegalArgumentException("EIP-712 type '" + type + "' at " + path + " is neither an atomic type nor a defined struct");
    }

    private static int bits(String digits, String type) {
        int bits = Integer.parseInt(digits);
        if (bits < 8 || bits > 256 || bits % 8 != 0) {
            throw new IllegalArgumentException("EIP-712 type " + type + " must have 8 to 256 bits in steps of 8");
        }
        return bits;
    }

    private static byte[] word(BigInteger n) {
        return Numeric.toBytesPadded(n, 32);
    }

    private static String text(Object value, String path) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("EIP-712 " + path + " is a string but its value is " + value);
    }

    private static boolean bool(Object value, String path) {
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        throw new IllegalArgumentException("EIP-712 " + path + " is a bool but its value is " + value);
    }

    private static Address address(Object value, String path) {
        if (value instanceof Address a) {
            return a;
        }
        if (value instanceof String s) {
            return Address.parse(s);
        }
        throw new IllegalArgumentException("EIP-712 " + path + " is an address but its value is " + value);
    }

    private static byte[] bytes(Object value, String path) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof String s && s.matches("0x([0-9a-fA-F]{2})*")) {
            return Numeric.hexStringToByteArray(s);
        }
        throw new IllegalArgumentException("EIP-712 " + path + " is a byte string but its value is not 0x-prefixed even-length hex: " + value);
    }

    private static BigInteger integer(Object value, String path) {
        if (value instanceof BigInteger b) {
            return b;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof String s) {
            try {
                if (s.startsWith("0x") || s.startsWith("0X")) {
                    return new BigInteger(s.substring(2), 16);
                }
                return new BigInteger(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("EIP-712 " + path + " is an integer but its value is '" + s + "'", e);
            }
        }
        throw new IllegalArgumentException("EIP-712 " + path + " is an integer but its value is " + value);
    }
}
