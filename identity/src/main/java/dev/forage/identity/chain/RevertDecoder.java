package dev.forage.identity.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Decodes revert data: Solidity's {@code Error(string)} and {@code Panic(uint256)}, and the
 * custom errors of every contract ABI it was given.
 */
public final class RevertDecoder {

    private static final String ERROR_SELECTOR = "0x08c379a0";
    private static final String PANIC_SELECTOR = "0x4e487b71";

    private final Map<String, ErrorFragment> errors;

    private record ErrorFragment(String name, List<String> types) {}

    private RevertDecoder(Map<String, ErrorFragment> errors) {
        this.errors = Map.copyOf(errors);
    }

    /** A decoder for {@code Error(string)} and {@code Panic(uint256)} only. */
    public static RevertDecoder standard() {
        return new RevertDecoder(Map.of());
    }

    /** A decoder that also knows the custom errors declared in {@code abi} (a JSON ABI array). */
    public RevertDecoder withAbi(JsonNode abi) {
        Map<String, ErrorFragment> all = new HashMap<>(errors);
        for (JsonNode item : abi) {
            if (!"error".equals(item.path("type").asText())) {
                continue;
            }
            List<String> types = new ArrayList<>();
            for (JsonNode input : item.path("inputs")) {
                types.add(canonicalType(input));
            }
            String signature = item.path("name").asText() + "(" + String.join(",", types) + ")";
            String selector = Numeric.toHexString(Hash.sha3(signature.getBytes(StandardCharsets.US_ASCII))).substring(0, 10);
            all.put(selector, new ErrorFragment(item.path("name").asText(), types));
        }
        return new RevertDecoder(all);
    }

    /**
     * Decodes revert data given as {@code 0x}-prefixed hex; never fails: data it cannot read
     * decodes as {@code unknown}.
     */
    public RevertReason decode(String data) {
        String hex = data == null || data.isBlank() ? "0x" : data.trim().toLowerCase(java.util.Locale.ROOT);
        if (!hex.startsWith("0x")) {
            hex = "0x" + hex;
        }
        if (hex.length() < 10) {
            return new RevertReason("unknown", List.of(), hex);
        }
        String selector = hex.substring(0, 10);
        String body = "0x" + hex.substring(10);
        try {
            if (ERROR_SELECTOR.equals(selector)) {
                return new RevertReason("Error", decodeArgs(body, List.of("string")), hex);
            }
            if (PANIC_SELECTOR.equals(selector)) {
                List<String> args = decodeArgs(body, List.of("uint256"));
                return new RevertReason("Panic", List.of(panicText(new BigInteger(args.get(0)))), hex);
            }
            ErrorFragment fragment = errors.get(selector);
            if (fragment != null) {
                return new RevertReason(fragment.name(), decodeArgs(body, fragment.types()), hex);
            }
        } catch (RuntimeException | ClassNotFoundException e) {
            // Malformed arguments: report the raw data rather than failing the caller's error path.
        }
        return new RevertReason("unknown", List.of(), hex);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<String> decodeArgs(String body, List<String> types) throws ClassNotFoundException {
        List<TypeReference<Type>> refs = new ArrayList<>();
        for (String t : types) {
            refs.add((TypeReference) TypeReference.makeTypeReference(t));
        }
        List<Type> values = FunctionReturnDecoder.decode(body, refs);
        if (values.size() != types.size()) {
            throw new IllegalArgumentException("revert data has " + values.size() + " values, expected " + types.size());
        }
        List<String> out = new ArrayList<>();
        for (Type v : values) {
            Object value = v.getValue();
            out.add(value instanceof byte[] b ? Numeric.toHexString(b) : String.valueOf(value));
        }
        return out;
    }

    private static String canonicalType(JsonNode input) {
        String type = input.path("type").asText();
        if (type.startsWith("tuple")) {
            List<String> parts = new ArrayList<>();
            for (JsonNode c : input.path("components")) {
                parts.add(canonicalType(c));
            }
            return "(" + String.join(",", parts) + ")" + type.substring("tuple".length());
        }
        return type;
    }

    private static String panicText(BigInteger code) {
        String what = switch (code.intValue()) {
            case 0x01 -> "assertion failed";
            case 0x11 -> "arithmetic overflow or underflow";
            case 0x12 -> "division or modulo by zero";
            case 0x21 -> "invalid enum value";
            case 0x22 -> "corrupt storage byte array";
            case 0x31 -> "pop on empty array";
            case 0x32 -> "array index out of bounds";
            case 0x41 -> "out of memory";
            case 0x51 -> "call to uninitialised function";
            default -> "panic";
        };
        return "0x" + code.toString(16) + " (" + what + ")";
    }
}
