package dev.forage.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.forage.runtime.audit.canonical.SecretRedactor;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a caller asks the log to record; the log adds the sequence number and the time. The
 * payload is {@linkplain SecretRedactor redacted} here, when the event is made, so that no
 * secret reaches the log, its hashes or its files.
 *
 * @param agentId the agent the entry is about, non-blank
 * @param kind what happened
 * @param subjects ids the entry is about (intent, lease, job, tx hash); may be empty
 * @param actor who caused it
 * @param payload details, a JSON object (redacted copy)
 */
public record AuditEvent(
        String agentId, EntryKind kind, Map<SubjectKind, String> subjects, Actor actor, JsonNode payload) {

    /** Validates, copies and redacts. */
    public AuditEvent {
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("agent id must not be blank, got '" + agentId + "'");
        }
        if (kind == null || actor == null) {
            throw new IllegalArgumentException("kind and actor are required, got kind " + kind + ", actor " + actor);
        }
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("payload must be a JSON object, got "
                    + (payload == null ? "null" : payload.getNodeType()));
        }
        EnumMap<SubjectKind, String> copy = new EnumMap<>(SubjectKind.class);
        subjects.forEach((k, v) -> {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("subject " + k.wireName() + " must not be blank, got '" + v + "'");
            }
            copy.put(k, v);
        });
        subjects = Map.copyOf(copy);
        payload = SecretRedactor.redact(payload);
    }

    /** An event without subjects. */
    public static AuditEvent of(String agentId, EntryKind kind, Actor actor, JsonNode payload) {
        return new AuditEvent(agentId, kind, Map.of(), actor, payload);
    }

    /** An event without subjects or payload. */
    public static AuditEvent of(String agentId, EntryKind kind, Actor actor) {
        return of(agentId, kind, actor, JsonNodeFactory.instance.objectNode());
    }

    /** This event with one more subject id. */
    public AuditEvent withSubject(SubjectKind subject, String id) {
        EnumMap<SubjectKind, String> more = new EnumMap<>(SubjectKind.class);
        more.putAll(subjects);
        more.put(subject, id);
        return new AuditEvent(agentId, kind, more, actor, payload);
    }

    @Override
    public JsonNode payload() {
        return payload.deepCopy();
    }
}
