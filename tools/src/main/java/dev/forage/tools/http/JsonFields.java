package dev.forage.tools.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the fields of a provider's JSON answer, failing with
 * {@link RemoteCallException.Kind#MALFORMED_RESPONSE} (not retriable) when a field the provider
 * documents as required is missing or of the wrong type, and tolerating every field it does
 * not know. One instance per answer: it names the provider and the operation in its errors.
 */
public final class JsonFields {

    private final String provider;
    private final String operation;

    private JsonFields(String provider, String operation) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.operation = Objects.requireNonNull(operation, "operation");
    }

    /**
     * A reader for the answer of {@code operation} (e.g. {@code GET /v1/bids}) from {@code provider}.
     */
    public static JsonFields of(String provider, String operation) {
        return new JsonFields(provider, operation);
    }

    /** The required object {@code name} of {@code parent}. */
    public JsonNode object(JsonNode parent, String name) {
        JsonNode v = parent == null ? null : parent.get(name);
        if (v == null || !v.isObject()) {
            throw malformed("no object '" + name + "'" + found(v));
        }
        return v;
    }

    /** The required array {@code name} of {@code parent}. */
    public JsonNode array(JsonNode parent, String name) {
        JsonNode v = parent == null ? null : parent.get(name);
        if (v == null || !v.isArray()) {
            throw malformed("no array '" + name + "'" + found(v));
        }
        return v;
    }

    /** The object or array {@code name} of {@code parent}, when present and not null. */
    public Optional<JsonNode> optional(JsonNode parent, String name) {
        JsonNode v = parent == null ? null : parent.get(name);
        return v == null || v.isNull() || v.isMissingNode() ? Optional.empty() : Optional.of(v);
    }

    /** The required, non-empty string (or number, as text) {@code name} of {@code parent}. */
    public String text(JsonNode parent, String name) {
        return optionalText(parent, name).orElseThrow(() -> malformed("no text field '" + name + "'"
                + found(parent == null ? null : parent.get(name))));
    }

    /** The string or number {@code name} of {@code parent} as text; empty when absent, null or blank. */
    public Optional<String> optionalText(JsonNode parent, String name) {
        JsonNode v = parent == null ? null : parent.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw malformed("field '" + name + "' that is neither text nor a number" + found(v));
        }
        String t = v.isBigDecimal() ? v.decimalValue().toPlainString() : v.asText();
        return t.isBlank() ? Optional.empty() : Optional.of(t);
    }

    /** The required decimal {@code name} of {@code parent}: a JSON number or a numeric string, exactly. */
    public BigDecimal decimal(JsonNode parent, String name) {
        return optionalDecimal(parent, name).orElseThrow(() -> malformed("no number '" + name + "'"
                + found(parent == null ? null : parent.get(name))));
    }

    /** The decimal {@code name} of {@code parent}, exactly; empty when absent or null. */
    public Optional<BigDecimal> optionalDecimal(JsonNode parent, String name) {
        JsonNode v = parent == null ? null : parent.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (v.isNumber()) {
            return Optional.of(v.isFloatingPointNumber() && !v.isBigDecimal() ? new BigDecimal(v.asText()) : v.decimalValue());
        }
        if (v.isTextual()) {
            try {
                return Optional.of(new BigDecimal(v.asText().strip()));
            } catch (NumberFormatException e) {
                throw malformed("field '" + name + "' that is not a number" + found(v));
            }
        }
        throw malformed("field '" + name + "' that is not a number" + found(v));
    }

    /** The required whole number {@code name} of {@code parent}. */
    public long integer(JsonNode parent, String name) {
        OptionalLong v = optionalInteger(parent, name);
        if (v.isEmpty()) {
            throw malformed("no whole number '" + name + "'" + found(parent == null ? null : parent.get(name)));
        }
        return v.getAsLong();
    }

    /** The whole number {@code name} of {@code parent} (a number or numeric string); empty when absent or null. */
    public OptionalLong optionalInteger(JsonNode parent, String name) {
        Optional<BigDecimal> d = optionalDecimal(parent, name);
        if (d.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(d.get().longValueExact());
        } catch (ArithmeticException e) {
            throw malformed("field '" + name + "' that is not a whole number" + found(parent.get(name)));
        }
    }

    /** The boolean {@code name} of {@code parent}; empty when absent or null. */
    public Optional<Boolean> optionalBoolean(JsonNode parent, String name) {
        JsonNode v = parent == null ? null : parent.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw malformed("field '" + name + "' that is not a boolean" + found(v));
        }
        return Optional.of(v.booleanValue());
    }

    /**
     * The instant {@code name} of {@code parent}; empty when absent or null. Accepts ISO-8601 with
     * an offset ({@code 2025-01-02T03:04:05Z}), without one (read as UTC, as Python's
     * {@code isoformat()} writes naive times), and numbers of epoch seconds or, above 10^11,
     * epoch milliseconds.
     */
    public Optional<Instant> optionalInstant(JsonNode parent, String name) {
        JsonNode v = parent == null ? null : parent.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (v.isNumber()) {
            long n = v.asLong();
            return Optional.of(n > 100_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n));
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw malformed("field '" + name + "' that is not a date-time" + found(v));
        }
        String t = v.asText().strip().replace(' ', 'T');
        try {
            return Optional.of(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException withoutOffset) {
            try {
                return Optional.of(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                throw malformed("field '" + name + "' that is not an ISO-8601 date-time" + found(v));
            }
        }
    }

    /** The exception for an answer that does not have the documented shape. */
    public RemoteCallException malformed(String what) {
        return RemoteCallException.malformed(provider, operation, "a body with " + what);
    }

    private static String found(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "";
        }
        String s = v.toString();
        return " (found " + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + ")";
    }
}
