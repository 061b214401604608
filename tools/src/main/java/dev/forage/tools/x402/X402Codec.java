package dev.forage.tools.x402;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.identity.Address;
import dev.forage.identity.IdentityException;
import dev.forage.tools.settle.TransferAuthorization;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.utils.Numeric;

/**
 * The x402 wire formats: JSON objects with exactly the specification's field names, and
 * headers carrying base64 (RFC 4648, with padding) of UTF-8 JSON. Reading is strict about
 * required fields and their types, lenient about unknown fields, and bounded: a header longer
 * than {@link #maxHeaderChars()} or a body larger than {@link #maxBodyBytes()} is refused
 * before it is decoded.
 */
public final class X402Codec {

    /** The v2 header a server sends with 402. */
    public static final String PAYMENT_REQUIRED = "PAYMENT-REQUIRED";
    /** The v2 header a client pays with. */
    public static final String PAYMENT_SIGNATURE = "PAYMENT-SIGNATURE";
    /** The v2 header a server confirms settlement with. */
    public static final String PAYMENT_RESPONSE = "PAYMENT-RESPONSE";
    /** The v1 header a client pays with. */
    public static final String X_PAYMENT = "X-PAYMENT";
    /** The v1 header a server confirms settlement with. */
    public static final String X_PAYMENT_RESPONSE = "X-PAYMENT-RESPONSE";

    /** The default header limit: 16 KiB of base64 (about 12 KiB of JSON). */
    public static final int DEFAULT_MAX_HEADER_CHARS = 16 * 1024;
    /** The default body limit for 402 bodies and facilitator messages: 64 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final int maxHeaderChars;
    private final int maxBodyBytes;
    private final ObjectMapper json;

    private X402Codec(int maxHeaderChars, int maxBodyBytes) {
        if (maxHeaderChars < 256 || maxBodyBytes < 256) {
            throw new IllegalArgumentException("x402 limits must be at least 256, got header " + maxHeaderChars
                    + " and body " + maxBodyBytes);
        }
        this.maxHeaderChars = maxHeaderChars;
        this.maxBodyBytes = maxBodyBytes;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(maxBodyBytes)
                        .maxNumberLength(100).build())
                .build();
        this.json = new ObjectMapper(factory);
    }

    /** A codec with the default limits. */
    public static X402Codec standard() {
        return new X402Codec(DEFAULT_MAX_HEADER_CHARS, DEFAULT_MAX_BODY_BYTES);
    }

    /** A codec with the given limits. */
    public static X402Codec withLimits(int maxHeaderChars, int maxBodyBytes) {
        return new X402Codec(maxHeaderChars, maxBodyBytes);
    }

    /** The longest header value accepted, in characters. */
    public int maxHeaderChars() {
        return maxHeaderChars;
    }

    /** The largest body accepted, in bytes. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    // ------------------------------------------------------------------ transport

    /** base64 of the UTF-8 JSON of {@code node}, as x402 headers carry it. */
    public String header(JsonNode node) {
        return Base64.getEncoder().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a header value to its JSON object.
     *
     * @throws X402Exception TOO_LARGE above the limit, MALFORMED if it is not base64 of a JSON object
     */
    public ObjectNode fromHeader(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new X402Exception(X402Exception.Reason.MALFORMED, "header " + name + " is empty; it must carry base64 JSON");
        }
        if (value.length() > maxHeaderChars) {
            throw new X402Exception(X402Exception.Reason.TOO_LARGE, "header " + name + " has " + value.length()
                    + " characters, more than the limit of " + maxHeaderChars + "; refusing to decode it");
        }
        byte[] bytes;
        try {
            String trimmed = value.trim();
            bytes = trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(trimmed) : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new X402Exception(X402Exception.Reason.MALFORMED, "header " + name + " is not base64 ("
                    + e.getMessage() + "); x402 headers carry base64-encoded JSON", e);
        }
        return object(bytes, "header " + name);
    }

    /**
     * Parses a body to its JSON object.
     *
     * @throws X402Exception TOO_LARGE above the limit, MALFORMED if it is not a JSON object
     */
    public ObjectNode fromBody(byte[] body, String what) {
        if (body.length > maxBodyBytes) {
            throw new X402Exception(X402Exception.Reason.TOO_LARGE, what + " has " + body.length
                    + " bytes, more than the limit of " + maxBodyBytes);
        }
        return object(body, what);
    }

    private ObjectNode object(byte[] bytes, String what) {
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new X402Exception(X402Exception.Reason.MALFORMED, what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new X402Exception(X402Exception.Reason.MALFORMED, what + " cannot be read: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new X402Exception(X402Exception.Reason.MALFORMED, what + " is not a JSON object");
        }
        requireFiniteNumbers(object, what);
        return object;
    }

    /**
     * Refuses a number beyond a double's range: Jackson reads 1e400 as Infinity, which would be
     * written back as the string "Infinity", so the message would not read back as itself.
     */
    private static void requireFiniteNumbers(JsonNode node, String what) {
        if (node.isDouble() && !Double.isFinite(node.doubleValue())) {
            throw new X402Exception(X402Exception.Reason.MALFORMED, what + " holds a number beyond the range of a"
                    + " double; write amounts as strings of base units, other numbers within +-1.7e308");
        }
        for (JsonNode child : node) { // depth is bounded by the parser's nesting limit of 32
            requireFiniteNumbers(child, what);
        }
    }

    // ------------------------------------------------------------------ PaymentRequired

    /** The JSON of a {@link PaymentRequired} in its version's shape. */
    public ObjectNode toJson(PaymentRequired p) {
        ObjectNode o = NODES.objectNode();
        o.put("x402Version", p.x402Version());
        if (p.x402Version() == 1) {
            o.put("error", p.error().orElse(""));
        } else {
            p.error().ifPresent(e -> o.put("error", e));
            o.set("resource", toJson(p.resource().orElseThrow(() ->
                    new IllegalArgumentException("a v2 PaymentRequired needs its resource"))));
        }
        ArrayNode accepts = o.putArray("accepts");
        p.accepts().forEach(r -> accepts.add(r.raw()));
        p.extensions().ifPresent(e -> o.set("extensions", e));
        return o;
    }

    /**
     * Reads a {@code PaymentRequired} (v2) or {@code PaymentRequirementsResponse} (v1).
     *
     * @throws X402Exception UNSUPPORTED_VERSION or MALFORMED
     */
    public PaymentRequired paymentRequired(ObjectNode o) {
        int version = version(o, "PaymentRequired");
        Optional<ResourceInfo> resource = Optional.empty();
        if (version == 2) {
            resource = Optional.of(resourceInfo(requireObject(o, "resource", "PaymentRequired")));
        }
        JsonNode accepts = o.get("accepts");
        if (accepts == null || !accepts.isArray()) {
            throw malformed("PaymentRequired has no 'accepts' array");
        }
        List<PaymentRequirements> list = new ArrayList<>();
        for (JsonNode a : accepts) {
            if (!(a instanceof ObjectNode ao)) {
                throw malformed("PaymentRequired.accepts holds a non-object: " + abbreviate(a.toString()));
            }
            list.add(requirements(ao, version));
        }
        // v1 requires 'error' and toJson writes "" for none: an empty one is no error, so it reads back equal
        Optional<String> error = optText(o, "error").filter(e -> !e.isEmpty());
        return new PaymentRequired(version, error, resource, list, optObject(o, "extensions"));
    }

    // ------------------------------------------------------------------ PaymentRequirements

    /** Builds a requirement, with its raw JSON, in {@code version}'s shape. */
    static PaymentRequirements requirements(int version, String scheme, String network, BigInteger amount, String asset,
            String payTo, long maxTimeoutSeconds, ObjectNode extra, Optional<String> resource, Optional<String> description,
            Optional<String> mimeType) {
        ObjectNode raw = NODES.objectNode();
        raw.put("scheme", scheme);
        raw.put("network", network);
        if (version == 1) {
            raw.put("maxAmountRequired", amount.toString());
            raw.put("resource", resource.orElse(""));
            raw.put("description", description.orElse(""));
            mimeType.ifPresent(m -> raw.put("mimeType", m));
            raw.put("payTo", payTo);
            raw.put("maxTimeoutSeconds", maxTimeoutSeconds);
            raw.put("asset", asset);
        } else {
            raw.put("amount", amount.toString());
            raw.put("asset", asset);
            raw.put("payTo", payTo);
            raw.put("maxTimeoutSeconds", maxTimeoutSeconds);
        }
        raw.set("extra", extra);
        return new PaymentRequirements(scheme, network, amount, asset, payTo, maxTimeoutSeconds, extra, resource, description,
                mimeType, Optional.empty(), raw);
    }

    /** Reads one entry of {@code accepts} in {@code version}'s shape. */
    public PaymentRequirements requirements(ObjectNode o, int version) {
        String where = "PaymentRequirements";
        String amountField = version == 1 ? "maxAmountRequired" : "amount";
        BigInteger amount = uint(o, amountField, where);
        JsonNode timeout = o.get("maxTimeoutSeconds");
        if (timeout == null || !timeout.canConvertToLong() || timeout.asLong() <= 0) {
            throw malformed(where + ".maxTimeoutSeconds must be a positive number, got " + timeout);
        }
        JsonNode extra = o.get("extra");
        if (extra != null && !extra.isNull() && !extra.isObject()) {
            throw malformed(where + ".extra must be an object, got " + abbreviate(extra.toString()));
        }
        return new PaymentRequirements(text(o, "scheme", where), text(o, "network", where), amount, text(o, "asset", where),
                text(o, "payTo", where), timeout.asLong(), extra instanceof ObjectNode eo ? eo : null,
                version == 1 ? optText(o, "resource") : Optional.empty(),
                version == 1 ? optText(o, "description") : Optional.empty(),
                version == 1 ? optText(o, "mimeType") : Optional.empty(),
                version == 1 ? Optional.ofNullable(o.get("outputSchema")).filter(n -> !n.isNull()) : Optional.empty(), o);
    }

    // ------------------------------------------------------------------ PaymentPayload

    /** The JSON of a payment payload in its version's shape. */
    public ObjectNode toJson(PaymentPayload p) {
        ObjectNode o = NODES.objectNode();
        o.put("x402Version", p.x402Version());
        if (p.x402Version() == 1) {
            o.put("scheme", p.scheme());
            o.put("network", p.network());
        } else {
            p.resource().ifPresent(r -> o.set("resource", toJson(r)));
            o.set("accepted", p.accepted().orElseThrow().raw());
        }
        o.set("payload", toJson(p.payload()));
        if (p.x402Version() == 2) {
            p.extensions().ifPresent(e -> o.set("extensions", e));
        }
        return o;
    }

    /**
     * Reads a payment payload.
     *
     * @throws X402Exception UNSUPPORTED_VERSION or MALFORMED
     */
    public PaymentPayload paymentPayload(ObjectNode o) {
        int version = version(o, "PaymentPayload");
        ExactEvmPayload payload = exactEvmPayload(requireObject(o, "payload", "PaymentPayload"));
        if (version == 1) {
            return new PaymentPayload(1, text(o, "scheme", "PaymentPayload"), text(o, "network", "PaymentPayload"),
                    Optional.empty(), Optional.empty(), payload, Optional.empty());
        }
        PaymentRequirements accepted = requirements(requireObject(o, "accepted", "PaymentPayload"), 2);
        Optional<ResourceInfo> resource = o.get("resource") instanceof ObjectNode r ? Optional.of(resourceInfo(r)) : Optional.empty();
        return new PaymentPayload(2, accepted.scheme(), accepted.network(), resource, Optional.of(accepted), payload,
                optObject(o, "extensions"));
    }

    /** The JSON of an {@code exact} EVM payload. */
    public ObjectNode toJson(ExactEvmPayload p) {
        ObjectNode o = NODES.objectNode();
        o.put("signature", p.signature());
        TransferAuthorization a = p.authorization();
        ObjectNode auth = o.putObject("authorization");
        auth.put("from", a.from().value());
        auth.put("to", a.to().value());
        auth.put("value", a.value().toString());
        auth.put("validAfter", a.validAfter().toString());
        auth.put("validBefore", a.validBefore().toString());
        auth.put("nonce", a.nonce());
        return o;
    }

    /** Reads an {@code exact} EVM payload, with the scheme's encoding rules (hex or decimal numbers). */
    public ExactEvmPayload exactEvmPayload(ObjectNode o) {
        String where = "payload";
        String signature = text(o, "signature", where);
        if (!signature.matches("0[xX][0-9a-fA-F]+") || signature.length() % 2 != 0) {
            throw malformed("payload.signature must be 0x-prefixed hex, got " + abbreviate(signature));
        }
        ObjectNode a = requireObject(o, "authorization", where);
        String aw = "payload.authorization";
        try {
            return new ExactEvmPayload(signature, new TransferAuthorization(
                    Address.parse(text(a, "from", aw)), Address.parse(text(a, "to", aw)), uint(a, "value", aw),
                    uint(a, "validAfter", aw), uint(a, "validBefore", aw), nonce(a, aw)));
        } catch (IllegalArgumentException | IdentityException e) {
            throw malformed(aw + " is invalid: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ facilitator messages

    /** The body of {@code POST /verify} and {@code POST /settle}. */
    public ObjectNode facilitatorRequest(PaymentPayload payload, PaymentRequirements requirements) {
        ObjectNode o = NODES.objectNode();
        o.put("x402Version", payload.x402Version());
        o.set("paymentPayload", toJson(payload));
        o.set("paymentRequirements", requirements.raw());
        return o;
    }

    /**
     * A facilitator request read back.
     *
     * @param payload the payment payload
     * @param requirements the requirement it must meet
     */
    public record FacilitatorRequest(PaymentPayload payload, PaymentRequirements requirements) {}

    /** Reads the body of {@code POST /verify} or {@code POST /settle}. */
    public FacilitatorRequest facilitatorRequest(ObjectNode o) {
        PaymentPayload payload = paymentPayload(requireObject(o, "paymentPayload", "facilitator request"));
        PaymentRequirements requirements = requirements(requireObject(o, "paymentRequirements", "facilitator request"),
                payload.x402Version());
        return new FacilitatorRequest(payload, requirements);
    }

    /** The JSON of a settlement response. */
    public ObjectNode toJson(SettlementResponse s) {
        ObjectNode o = NODES.objectNode();
        o.put("success", s.success());
        s.errorReason().ifPresent(e -> o.put("errorReason", e));
        s.payer().ifPresent(p -> o.put("payer", p));
        o.put("transaction", s.transaction());
        o.put("network", s.network());
        return o;
    }

    /** Reads a settlement response. */
    public SettlementResponse settlementResponse(ObjectNode o) {
        JsonNode success = o.get("success");
        if (success == null || !success.isBoolean()) {
            throw malformed("SettlementResponse.success must be a boolean, got " + success);
        }
        JsonNode tx = o.get("transaction");
        return new SettlementResponse(success.booleanValue(), optText(o, "errorReason"), optText(o, "payer"),
                tx == null || tx.isNull() ? "" : tx.asText(), optText(o, "network").orElse(""));
    }

    /** The JSON of a verify response. */
    public ObjectNode toJson(VerifyResponse v) {
        ObjectNode o = NODES.objectNode();
        o.put("isValid", v.isValid());
        v.invalidReason().ifPresent(r -> o.put("invalidReason", r));
        v.payer().ifPresent(p -> o.put("payer", p));
        return o;
    }

    /** Reads a verify response. */
    public VerifyResponse verifyResponse(ObjectNode o) {
        JsonNode valid = o.get("isValid");
        if (valid == null || !valid.isBoolean()) {
            throw malformed("VerifyResponse.isValid must be a boolean, got " + valid);
        }
        return new VerifyResponse(valid.booleanValue(), optText(o, "invalidReason"), optText(o, "payer"));
    }

    /** The JSON of a supported response. */
    public ObjectNode toJson(SupportedResponse s) {
        ObjectNode o = NODES.objectNode();
        ArrayNode kinds = o.putArray("kinds");
        for (SupportedResponse.Kind k : s.kinds()) {
            ObjectNode ko = kinds.addObject();
            ko.put("x402Version", k.x402Version());
            ko.put("scheme", k.scheme());
            ko.put("network", k.network());
            k.extra().ifPresent(e -> ko.set("extra", e));
        }
        ArrayNode ext = o.putArray("extensions");
        s.extensions().forEach(ext::add);
        ObjectNode signers = o.putObject("signers");
        s.signers().forEach((pattern, addresses) -> {
            ArrayNode arr = signers.putArray(pattern);
            addresses.forEach(arr::add);
        });
        return o;
    }

    /** Reads a supported response. */
    public SupportedResponse supportedResponse(ObjectNode o) {
        JsonNode kinds = o.get("kinds");
        if (kinds == null || !kinds.isArray()) {
            throw malformed("SupportedResponse has no 'kinds' array");
        }
        List<SupportedResponse.Kind> list = new ArrayList<>();
        for (JsonNode k : kinds) {
            if (!(k instanceof ObjectNode ko)) {
                throw malformed("SupportedResponse.kinds holds a non-object");
            }
            list.add(new SupportedResponse.Kind(version(ko, "SupportedKind"), text(ko, "scheme", "SupportedKind"),
                    text(ko, "network", "SupportedKind"), optObject(ko, "extra")));
        }
        List<String> extensions = new ArrayList<>();
        if (o.get("extensions") instanceof ArrayNode a) {
            a.forEach(e -> extensions.add(e.asText()));
        }
        Map<String, List<String>> signers = new LinkedHashMap<>();
        if (o.get("signers") instanceof ObjectNode so) {
            Iterator<Map.Entry<String, JsonNode>> it = so.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> addresses = new ArrayList<>();
                e.getValue().forEach(n -> addresses.add(n.asText()));
                signers.put(e.getKey(), addresses);
            }
        }
        return new SupportedResponse(list, extensions, signers);
    }

    // ------------------------------------------------------------------ helpers

    ObjectNode toJson(ResourceInfo r) {
        ObjectNode o = NODES.objectNode();
        o.put("url", r.url());
        r.description().ifPresent(d -> o.put("description", d));
        r.mimeType().ifPresent(m -> o.put("mimeType", m));
        return o;
    }

    private ResourceInfo resourceInfo(ObjectNode o) {
        return new ResourceInfo(text(o, "url", "ResourceInfo"), optText(o, "description"), optText(o, "mimeType"));
    }

    private static int version(ObjectNode o, String where) {
        JsonNode v = o.get("x402Version");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) { // asInt() would wrap 2^32+1 to 1
            throw malformed(where + ".x402Version must be a number, got " + v);
        }
        int version = v.asInt();
        if (version != 1 && version != 2) {
            throw new X402Exception(X402Exception.Reason.UNSUPPORTED_VERSION, where + " has x402Version " + version
                    + "; this client speaks versions 1 and 2");
        }
        return version;
    }

    private static String text(ObjectNode o, String field, String where) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw malformed(where + "." + field + " must be a non-empty string, got " + (n == null ? "nothing" : abbreviate(n.toString())));
        }
        return n.asText();
    }

    private static Optional<String> optText(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
    }

    private static Optional<ObjectNode> optObject(ObjectNode o, String field) {
        return o.get(field) instanceof ObjectNode n ? Optional.of(n) : Optional.empty();
    }

    private static ObjectNode requireObject(ObjectNode o, String field, String where) {
        if (o.get(field) instanceof ObjectNode n) {
            return n;
        }
        throw malformed(where + "." + field + " must be an object, got " + (o.get(field) == null ? "nothing" : abbreviate(o.get(field).toString())));
    }

    /** A uint256 written as a string: hex with {@code 0x}, decimal otherwise (the exact scheme's rule). */
    private static BigInteger uint(ObjectNode o, String field, String where) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw malformed(where + "." + field + " must be a string of base units, got " + (n == null ? "nothing" : abbreviate(n.toString())));
        }
        String s = n.asText();
        BigInteger value;
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                // only hex digits: BigInteger alone would take "0x-1" as minus one
                value = s.matches("0[xX][0-9a-fA-F]{1,64}") ? new BigInteger(s.substring(2), 16) : null;
            } else {
                value = s.matches("[0-9]{1,78}") ? new BigInteger(s) : null;
            }
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null || value.bitLength() > 256) {
            throw malformed(where + "." + field + " must be a uint256 as decimal digits (or 0x hex), got '" + abbreviate(s) + "'");
        }
        return value;
    }

    private static String nonce(ObjectNode o, String where) {
        JsonNode n = o.get("nonce");
        if (n == null || !n.isTextual()) {
            throw malformed(where + ".nonce must be a string, got " + n);
        }
        String s = n.asText();
        if (s.matches("0[xX][0-9a-fA-F]{1,64}")) {
            return Numeric.toHexStringWithPrefixZeroPadded(new BigInteger(s.substring(2), 16), 64);
        }
        if (s.matches("[0-9]{1,78}") && new BigInteger(s).bitLength() <= 256) {
            return Numeric.toHexStringWithPrefixZeroPadded(new BigInteger(s), 64);
        }
        throw malformed(where + ".nonce must be 32 bytes as 0x hex, got '" + abbreviate(s) + "'");
    }

    private static X402Exception malformed(String message) {
        return new X402Exception(X402Exception.Reason.MALFORMED, message);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
