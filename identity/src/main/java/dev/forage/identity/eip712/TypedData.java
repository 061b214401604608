package dev.forage.identity.eip712;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.utils.Numeric;

/**
 * EIP-712 typed data in the form {@code eth_signTypedData_v4} exchanges: struct type
 * definitions, the primary type, the domain and the message.
 *
 * <p>Values in {@code domain} and {@code message} are JSON-like: {@code String} (text, decimal
 * or {@code 0x} hex), {@code Number}/{@code BigInteger}, {@code Boolean}, {@code byte[]},
 * {@code List} for arrays and {@code Map<String, ?>} for structs.
 *
 * @param types struct name to its ordered fields; {@code EIP712Domain} may be absent, in which
 *     case it is derived from the domain's fields in the specification's order
 * @param primaryType the struct type of {@code message}
 * @param domain the domain separator's values ({@code name}, {@code version}, {@code chainId},
 *     {@code verifyingContract}, {@code salt}; any subset)
 * @param message the values of the primary type
 */
public record TypedData(
        Map<String, List<Field>> types, String primaryType, Map<String, Object> domain, Map<String, Object> message) {

    /** The name of the domain struct. */
    public static final String DOMAIN_TYPE = "EIP712Domain";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The domain fields in the order the specification gives them, with their types. */
    static final List<Field> DOMAIN_FIELDS = List.of(
            new Field("name", "string"),
            new Field("version", "string"),
            new Field("chainId", "uint256"),
            new Field("verifyingContract", "address"),
            new Field("salt", "bytes32"));

    /**
     * One member of a struct type.
     *
     * @param name the member name
     * @param type its EIP-712 type, e.g. {@code address}, {@code uint256}, {@code Person[]}
     */
    public record Field(String name, String type) {
        public Field {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("EIP-712 field name must not be empty");
            }
            if (type == null || type.isEmpty()) {
                throw new IllegalArgumentException("EIP-712 field '" + name + "' has no type");
            }
        }
    }

    public TypedData {
        if (types == null || primaryType == null || domain == null || message == null) {
            throw new IllegalArgumentException("EIP-712 typed data needs types, primaryType, domain and message");
        }
        types = copyTypes(types);
        if (!types.containsKey(DOMAIN_TYPE)) {
            List<Field> derived = new ArrayList<>();
            for (Field f : DOMAIN_FIELDS) {
                if (domain.containsKey(f.name())) {
                    derived.add(f);
                }
            }
            types.put(DOMAIN_TYPE, List.copyOf(derived));
        }
        if (!types.containsKey(primaryType)) {
            throw new IllegalArgumentException("EIP-712 primaryType '" + primaryType + "' is not among the types "
                    + types.keySet() + "; define it in types");
        }
        types = java.util.Collections.unmodifiableMap(types);
        domain = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(domain));
        message = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(message));
    }

    private static Map<String, List<Field>> copyTypes(Map<String, List<Field>> types) {
        Map<String, List<Field>> copy = new LinkedHashMap<>();
        types.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /**
     * Parses the JSON form {@code {"types":…, "primaryType":…, "domain":…, "message":…}}.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static TypedData fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("EIP-712 typed data is not valid JSON: " + e.getOriginalMessage(), e);
        }
        for (String key : List.of("types", "primaryType", "domain", "message")) {
            if (root == null || !root.has(key)) {
                throw new IllegalArgumentException("EIP-712 typed data has no '" + key + "' member");
            }
        }
        Map<String, List<Field>> types = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.get("types").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Field> fields = new ArrayList<>();
            for (JsonNode f : e.getValue()) {
                fields.add(new Field(f.path("name").asText(null), f.path("type").asText(null)));
            }
            types.put(e.getKey(), fields);
        }
        return new TypedData(types, root.get("primaryType").asText(), toMap(root.get("domain")), toMap(root.get("message")));
    }

    /** The JSON form, as {@code eth_signTypedData_v4} takes it. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode typesNode = root.putObject("types");
        types.forEach((name, fields) -> {
            ArrayNode arr = typesNode.putArray(name);
            fields.forEach(f -> arr.addObject().put("name", f.name()).put("type", f.type()));
        });
        root.put("primaryType", primaryType);
        root.set("domain", JSON.valueToTree(jsonValues(domain)));
        root.set("message", JSON.valueToTree(jsonValues(message)));
        return root.toString();
    }

    private static Object jsonValues(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), jsonValues(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TypedData::jsonValues).toList();
        }
        if (value instanceof byte[] bytes) {
            return Numeric.toHexString(bytes);
        }
        if (value instanceof BigInteger big) {
            return big.toString();
        }
        if (value instanceof dev.forage.identity.Address address) {
            return address.value();
        }
        return value;
    }

    private static Map<String, Object> toMap(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), toValue(e.getValue())));
        return out;
    }

    private static Object toValue(JsonNode node) {
        if (node.isObject()) {
            return toMap(node);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(toValue(n)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isNumber()) {
            throw new IllegalArgumentException("EIP-712 values must be integers, got " + node);
        }
        return node.isNull() ? null : node.asText();
    }
}
