package dev.forage.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.policies.InvalidValueException;
import dev.forage.policies.canonical.JsonCanonicalizer;
import dev.forage.runtime.audit.merkle.Rfc6962;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One entry of the log: an {@link AuditEvent} with its sequence number (its leaf index) and
 * the time the log accepted it. Its leaf data is the RFC 8785 canonical JSON of
 * {@link #toJson()}:
 *
 * <pre>{@code
 * {"actor":{"id":"agent-7","type":"agent"},"agent":"agent-7","kind":"tool_call",
 *  "payload":{...},"seq":41,"subjects":{"intent":"..."},"time":"2025-06-01T12:00:00.123Z","v":1}
 * }</pre>
 *
 * @param sequence zero-based position in the log
 * @param time when the log accepted the entry, in milliseconds
 * @param agentId the agent
 * @param kind what happened
 * @param subjects ids the entry is about
 * @param actor who caused it
 * @param payload redacted details, a JSON object
 */
public record AuditEntry(
        long sequence, Instant time, String agentId, EntryKind kind, Map<SubjectKind, String> subjects,
        Actor actor, JsonNode payload) {

    /** Version of the entry format, the {@code v} member. */
    public static final int FORMAT_VERSION = 1;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Set<String> MEMBERS = Set.of("actor", "agent", "kind", "payload", "seq", "subjects", "time", "v");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates and copies; the time is truncated to milliseconds. */
    public AuditEntry {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative, got " + sequence);
        }
        time = time.truncatedTo(ChronoUnit.MILLIS);
        if (time.getEpochSecond() < 0 || time.atZone(ZoneOffset.UTC).getYear() > 9999) {
            throw new IllegalArgumentException("time " + time + " is outside years 1970-9999");
        }
        EnumMap<SubjectKind, String> copy = new EnumMap<>(SubjectKind.class);
        copy.putAll(subjects);
        subjects = Map.copyOf(copy);
        payload = payload.deepCopy();
    }

    /** The entry made of an event at a sequence number and time. */
    public static AuditEntry of(long sequence, Instant time, AuditEvent event) {
        return new AuditEntry(sequence, time, event.agentId(), event.kind(), event.subjects(), event.actor(),
                event.payload());
    }

    @Override
    public JsonNode payload() {
        return payload.deepCopy();
    }

    /** The entry as a JSON object (member order is irrelevant: see {@link #canonicalBytes()}). */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode json = f.objectNode();
        json.put("v", FORMAT_VERSION);
        json.put("seq", sequence);
        json.put("time", TIME.format(time));
        json.put("agent", agentId);
        json.put("kind", kind.wireName());
        ObjectNode subjectsJson = json.putObject("subjects");
        new TreeMap<>(subjects).forEach((k, v) -> subjectsJson.put(k.wireName(), v));
        json.putObject("actor").put("type", actor.type()).put("id", actor.id());
        json.set("payload", payload.deepCopy());
        return json;
    }

    /** The leaf data: RFC 8785 canonical UTF-8 JSON of {@link #toJson()}. */
    public byte[] canonicalBytes() {
        return canonicalize(toJson());
    }

    /**
     * RFC 8785 bytes of an entry's JSON as read from a file.
     *
     * @throws AuditFormatException when the JSON holds a value JCS cannot represent
     */
    static byte[] canonicalize(JsonNode json) {
        try {
            return JsonCanonicalizer.canonicalize(json);
        } catch (InvalidValueException e) {
            throw new AuditFormatException(e.getMessage(), e);
        }
    }

    /** The RFC 6962 leaf hash of {@link #canonicalBytes()}. */
    public byte[] leafHash() {
        return Rfc6962.leafHash(canonicalBytes());
    }

    /**
     * Reads an entry back from its leaf data, checking that the data is exactly canonical.
     *
     * @throws AuditFormatException if the bytes are not the canonical JSON of a valid entry
     */
    public static AuditEntry fromCanonicalBytes(byte[] leaf) {
        JsonNode json;
        try {
            json = JSON.readTree(leaf);
        } catch (IOException e) {
            throw new AuditFormatException("entry is not valid JSON: " + e.getMessage(), e);
        }
        AuditEntry entry = fromJson(json);
        if (!java.util.Arrays.equals(entry.canonicalBytes(), leaf)) {
            throw new AuditFormatException("entry " + entry.sequence() + " is not in RFC 8785 canonical form");
        }
        return entry;
    }

    /**
     * Reads an entry from its JSON object.
     *
     * @throws AuditFormatException if a member is missing, unknown or of the wrong type
     */
    public static AuditEntry fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new AuditFormatException("entry is not a JSON object");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) {
                throw new AuditFormatException("entry has unknown member '" + name + "'");
            }
        }
        if (json.path("v").asInt(-1) != FORMAT_VERSION || !json.path("v").isIntegralNumber()) {
            throw new AuditFormatException("entry format version is " + json.get("v") + ", expected " + FORMAT_VERSION);
        }
        JsonNode seq = json.path("seq");
        if (!seq.isIntegralNumber() || !seq.canConvertToLong()) {
            throw new AuditFormatException("entry seq is " + seq + ", not an integer");
        }
        Instant time;
        try {
            time = Instant.from(TIME.parse(text(json, "time")));
        } catch (DateTimeParseException e) {
            throw new AuditFormatException("entry time '" + json.get("time") + "' is not yyyy-MM-ddTHH:mm:ss.SSSZ", e);
        }
        EnumMap<SubjectKind, String> subjects = new EnumMap<>(SubjectKind.class);
        JsonNode subjectsJson = json.path("subjects");
        if (!subjectsJson.isObject()) {
            throw new AuditFormatException("entry subjects is not an object");
        }
        subjectsJson.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new AuditFormatException("entry subject " + e.getKey() + " is not a string");
            }
            subjects.put(SubjectKind.fromWireName(e.getKey()), e.getValue().textValue());
        });
        JsonNode actor = json.path("actor");
        if (!actor.isObject() || actor.size() != 2) {
            throw new AuditFormatException("entry actor must be an object with type and id");
        }
        JsonNode payload = json.path("payload");
        if (!payload.isObject()) {
            throw new AuditFormatException("entry payload is not a JSON object");
        }
        try {
            return new AuditEntry(seq.longValue(), time, text(json, "agent"),
                    EntryKind.fromWireName(text(json, "kind")), subjects,
                    Actor.of(text(actor, "type"), text(actor, "id")), payload);
        } catch (IllegalArgumentException e) {
            throw new AuditFormatException("entry is invalid: " + e.getMessage(), e);
        }
    }

    /** Entries are equal when their canonical bytes are: {@code 0.0} and {@code 0} are the same number. */
    @Override
    public boolean equals(Object o) {
        return o instanceof AuditEntry other && java.util.Arrays.equals(canonicalBytes(), other.canonicalBytes());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(canonicalBytes());
    }

    private static String text(JsonNode json, String member) {
        JsonNode node = json.get(member);
        if (node == null || !node.isTextual()) {
            throw new AuditFormatException("entry member '" + member + "' is missing or not a string");
        }
        return node.textValue();
    }
}
