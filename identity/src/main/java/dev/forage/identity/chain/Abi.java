package dev.forage.identity.chain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Solidity ABI encoding of calls and decoding of results and events, keyed by canonical
 * signatures such as {@code register(string,(string,bytes)[])}. The selector is computed from
 * the signature string as written, so struct and array parameters are never guessed.
 */
public final class Abi {

    private Abi() {}

    /** The 4-byte function selector of a canonical signature, {@code 0x}-prefixed. */
    public static String selector(String signature) {
        return Numeric.toHexString(Hash.sha3(signature.getBytes(StandardCharsets.US_ASCII))).substring(0, 10);
    }

    /** The topic of an event signature: its full Keccak-256 hash. */
    public static String topic(String eventSignature) {
        return Numeric.toHexString(Hash.sha3(eventSignature.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Calldata: the selector of {@code signature} followed by the ABI-encoded arguments. */
    public static String encodeCall(String signature, Type<?>... args) {
        return selector(signature) + encodeArguments(args);
    }

    /** The ABI encoding of {@code args} as a tuple, without a selector, as hex without {@code 0x}. */
    public static String encodeArguments(Type<?>... args) {
        if (args.length == 0) {
            return "";
        }
        @SuppressWarnings({"rawtypes", "unchecked"})
        List<Type> list = new ArrayList<>(Arrays.asList(args));
        return FunctionEncoder.encodeConstructor(list);
    }

    /**
     * Decodes ABI-encoded values of the given Solidity types, e.g. {@code "address[]", "uint64"}.
     *
     * @throws IllegalArgumentException if a type is unknown or the data is too short
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static List<Type> decode(String hex, String... types) {
        List<TypeReference<Type>> refs = new ArrayList<>();
        for (String t : types) {
            try {
                refs.add((TypeReference) TypeReference.makeTypeReference(t));
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("unknown ABI type '" + t + "'", e);
            }
        }
        List<Type> values = FunctionReturnDecoder.decode(hex, refs);
        if (values.size() != types.length) {
            throw new IllegalArgumentException("expected " + types.length + " ABI values " + Arrays.toString(types)
                    + " but the data decodes to " + values.size() + " (" + (hex == null ? 0 : hex.length()) + " hex chars)");
        }
        return values;
    }

    /** Decodes one indexed event parameter of a static type from its topic. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static Type decodeTopic(String topic, String type) {
        try {
            return FunctionReturnDecoder.decodeIndexedValue(topic, (TypeReference) TypeReference.makeTypeReference(type));
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("unknown ABI type '" + type + "'", e);
        }
    }
}
