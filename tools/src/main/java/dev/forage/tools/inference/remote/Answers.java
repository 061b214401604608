package dev.forage.tools.inference.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.forage.tools.http.RemoteCallException;
import dev.forage.tools.inference.InferenceException;
import dev.forage.tools.inference.InferenceException.Reason;
import dev.forage.tools.inference.Usage;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses a provider's raw answer and checks it against the request. Every check raises an
 * {@link InferenceException} with the {@link Reason} that names what was wrong; none is
 * retriable (a provider that answered wrongly once is not trusted to answer right on a retry).
 * Stateless and thread-safe.
 */
public final class Answers {

    /**
     * Like {@link dev.forage.tools.http.JsonApi#MAPPER} (unknown fields kept, duplicate keys and
     * deep nesting refused) but reads the tokens {@code NaN}, {@code Infinity} and
     * {@code -Infinity}: Python servers write them for non-finite floats, and such an answer is
     * wrong because of its values ({@link Reason#NOT_FINITE}), not because it is unreadable.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    /** What Jackson writes for non-finite floats when it writes them as strings (its default). */
    private static final Set<String> NON_FINITE_STRINGS = Set.of("NaN", "Infinity", "-Infinity", "+Infinity", "inf", "-inf",
            "nan");

    private Answers() {}

    /**
     * Parses a raw answer body.
     *
     * @param provider the provider id, for the message
     * @param operation what was asked, e.g. {@code POST /embeddings}
     * @throws InferenceException MALFORMED when the body is empty or not JSON
     */
    public static JsonNode parse(String provider, String operation, byte[] raw) {
        if (raw.length == 0) {
            throw new InferenceException(provider, Reason.MALFORMED, operation + " answered with an empty body");
        }
        try {
            return MAPPER.readTree(raw);
        } catch (IOException e) {
            throw new InferenceException(provider, Reason.MALFORMED, operation + " answered with a body that is not JSON ("
                    + (e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage()) + ")", false, e);
        }
    }

    /** Lower-case hex SHA-256 of {@code raw}. */
    public static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The inference view of a failed call: an oversized answer is {@link Reason#TOO_LARGE} and an
     * answer that is not the documented shape is {@link Reason#MALFORMED} (both non-retriable,
     * with the original as cause); every other failure is returned as it is.
     */
    public static RuntimeException translate(RemoteCallException e) {
        return switch (e.kind()) {
            case RESPONSE_TOO_LARGE -> new InferenceException(e.provider(), Reason.TOO_LARGE, e.getMessage(), false, e);
            case MALFORMED_RESPONSE -> new InferenceException(e.provider(), Reason.MALFORMED, e.getMessage(), false, e);
            default -> e;
        };
    }

    /**
     * The answer's {@code field} as an object, array or value that must be there.
     *
     * @throws InferenceException MALFORMED when it is missing or JSON {@code null}
     */
    public static JsonNode required(String provider, JsonNode node, String field, String where) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            throw new InferenceException(provider, Reason.MALFORMED, where + " has no '" + field + "'");
        }
        return value;
    }

    /**
     * The answer's {@code field} as a string that must be there.
     *
     * @throws InferenceException MALFORMED when it is missing or not a string
     */
    public static String requiredText(String provider, JsonNode node, String field, String where) {
        JsonNode value = required(provider, node, field, where);
        if (!value.isTextual()) {
            throw new InferenceException(provider, Reason.MALFORMED, where + "'s '" + field + "' must be a string, got "
                    + abbreviate(value));
        }
        return value.textValue();
    }

    /**
     * The items of an OpenAI-style {@code data} array put in input order by their {@code index}.
     *
     * @param data the array, one object per input, each with an integer {@code index}
     * @param expected how many inputs were sent
     * @throws InferenceException WRONG_COUNT when there are more or fewer items than inputs;
     *     MALFORMED when an item is not an object, its index is missing, not an integer, out of
     *     range or repeated
     */
    public static List<JsonNode> inIndexOrder(String provider, JsonNode data, int expected) {
        if (!data.isArray()) {
            throw new InferenceException(provider, Reason.MALFORMED, "'data' must be an array, got " + abbreviate(data));
        }
        if (data.size() != expected) {
            throw new InferenceException(provider, Reason.WRONG_COUNT, "answered " + data.size() + " items for " + expected
                    + " inputs");
        }
        JsonNode[] ordered = new JsonNode[expected];
        for (int position = 0; position < expected; position++) {
            JsonNode item = data.get(position);
            if (!item.isObject()) {
                throw new InferenceException(provider, Reason.MALFORMED, "item " + position + " must be an object, got "
                        + abbreviate(item));
            }
            JsonNode index = item.get("index");
            if (index == null || !index.isIntegralNumber() || !index.canConvertToInt()) {
                throw new InferenceException(provider, Reason.MALFORMED, "item " + position + " has no integer 'index' (got "
                        + (index == null ? "none" : abbreviate(index)) + ")");
            }
            int i = index.intValue();
            if (i < 0 || i >= expected) {
                throw new InferenceException(provider, Reason.MALFORMED, "item " + position + " has index " + i
                        + ", outside 0.." + (expected - 1));
            }
            if (ordered[i] != null) {
                throw new InferenceException(provider, Reason.MALFORMED, "index " + i + " appears twice (items at positions "
                        + positionOf(data, i) + " and " + position + ")");
            }
            ordered[i] = item;
        }
        return List.of(ordered);
    }

    private static int positionOf(JsonNode data, int index) {
        for (int p = 0; p < data.size(); p++) {
            if (data.get(p).path("index").asInt(-1) == index) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Reads the vectors, checking each against the others and the model.
     *
     * @param vectors one JSON array of numbers per input, in input order
     * @param expected how many inputs were sent
     * @param dimension the model's dimension, when known; otherwise every vector must have the
     *     first one's
     * @throws InferenceException WRONG_COUNT for another number of vectors than inputs;
     *     WRONG_DIMENSION for an empty vector or one of another dimension; NOT_FINITE for a NaN or
     *     infinite value, or one beyond the range of a {@code float}; MALFORMED for a vector that
     *     is not an array of numbers
     */
    public static List<float[]> vectors(String provider, List<JsonNode> vectors, int expected, OptionalInt dimension) {
        if (vectors.size() != expected) {
            throw new InferenceException(provider, Reason.WRONG_COUNT, "answered " + vectors.size() + " vectors for " + expected
                    + " inputs");
        }
        List<float[]> out = new ArrayList<>(expected);
        int want = dimension.orElse(-1);
        for (int v = 0; v < expected; v++) {
            JsonNode array = vectors.get(v);
            if (array == null || !array.isArray()) {
                throw new InferenceException(provider, Reason.MALFORMED, "vector " + v + " must be an array of numbers, got "
                        + (array == null ? "nothing" : abbreviate(array)));
            }
            if (array.isEmpty()) {
                throw new InferenceException(provider, Reason.WRONG_DIMENSION, "vector " + v + " is empty");
            }
            if (want < 0) {
                want = array.size();
            } else if (array.size() != want) {
                throw new InferenceException(provider, Reason.WRONG_DIMENSION, "vector " + v + " has dimension " + array.size()
                        + ", expected " + want + (dimension.isPresent() ? " (the model's)" : " (that of vector 0)"));
            }
            float[] values = new float[want];
            for (int k = 0; k < want; k++) {
                values[k] = value(provider, array.get(k), v, k);
            }
            out.add(values);
        }
        return out;
    }

    private static float value(String provider, JsonNode n, int vector, int k) {
        if (n.isNumber()) {
            double d = n.doubleValue();
            float f = (float) d;
            if (!Double.isFinite(d)) {
                throw new InferenceException(provider, Reason.NOT_FINITE, "vector " + vector + " holds " + d + " at " + k);
            }
            if (!Float.isFinite(f)) {
                throw new InferenceException(provider, Reason.NOT_FINITE, "vector " + vector + " holds " + n.asText() + " at "
                        + k + ", beyond the range of a float");
            }
            return f;
        }
        if (n.isTextual() && NON_FINITE_STRINGS.contains(n.textValue())) {
            throw new InferenceException(provider, Reason.NOT_FINITE, "vector " + vector + " holds \"" + n.textValue()
                    + "\" at " + k);
        }
        throw new InferenceException(provider, Reason.MALFORMED, "vector " + vector + " holds " + abbreviate(n) + " at " + k
                + ", not a number");
    }

    /**
     * Checks the model that answered is the one asked for.
     *
     * @param answered the model the answer names
     * @param prefixes prefixes a provider may put before the requested id (e.g. {@code accounts/x/models/}); empty for none
     * @throws InferenceException WRONG_MODEL when {@code answered} is neither {@code requested} nor a
     *     tolerated prefix followed by it
     */
    public static void requireModel(String provider, String requested, String answered, List<String> prefixes) {
        if (answered.equals(requested)) {
            return;
        }
        for (String prefix : prefixes) {
            if (answered.equals(prefix + requested)) {
                return;
            }
        }
        throw new InferenceException(provider, Reason.WRONG_MODEL, "answered with model '" + abbreviate(answered)
                + "' for a request to '" + requested + "'" + (prefixes.isEmpty() ? "" : " (tolerated prefixes: " + prefixes + ")"));
    }

    /**
     * Reads an OpenAI {@code usage} object: {@code prompt_tokens} and, for completions,
     * {@code completion_tokens}.
     *
     * @param usage the {@code usage} node, missing or JSON {@code null} when absent
     * @param required whether the provider documents usage for this kind of request
     * @param completion whether {@code completion_tokens} must be there too
     * @throws InferenceException MISSING_USAGE when required and absent; MALFORMED when present
     *     with a count that is missing, not a whole number or negative
     */
    public static Usage usage(String provider, JsonNode usage, boolean required, boolean completion) {
        if (usage == null || usage.isNull() || usage.isMissingNode()) {
            if (required) {
                throw new InferenceException(provider, Reason.MISSING_USAGE, "answered without 'usage', which it documents");
            }
            return new Usage(0, 0);
        }
        if (!usage.isObject()) {
            throw new InferenceException(provider, Reason.MALFORMED, "'usage' must be an object, got " + abbreviate(usage));
        }
        long prompt = count(provider, usage, "prompt_tokens", true);
        long generated = count(provider, usage, "completion_tokens", completion);
        return new Usage(prompt, generated);
    }

    private static long count(String provider, JsonNode usage, String field, boolean required) {
        JsonNode n = usage.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new InferenceException(provider, Reason.MALFORMED, "'usage' has no '" + field + "'");
            }
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new InferenceException(provider, Reason.MALFORMED, "'usage." + field + "' must be a whole number >= 0, got "
                    + abbreviate(n));
        }
        return n.longValue();
    }

    /** A node or text cut short for a message (a hostile answer must not flood the log). */
    public static String abbreviate(Object value) {
        String s = String.valueOf(value);
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
