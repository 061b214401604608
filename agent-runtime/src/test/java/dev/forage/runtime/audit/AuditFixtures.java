package dev.forage.runtime.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;

/** Shared helpers for audit log tests. */
public final class AuditFixtures {

    /** The origin every test log uses. */
    public static final String ORIGIN = "forage.dev/test-log";

    private AuditFixtures() {}

    /** A config for a log in {@code dir} that cuts a checkpoint every {@code every} entries. */
    public static AuditLogConfig config(Path dir, long every) {
        return AuditLogConfig.of(dir.resolve("audit.db"), ORIGIN).withCheckpoints(every, Duration.ofHours(1));
    }

    /** A tool-call event numbered {@code n}. */
    public static AuditEvent event(long n) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode()
                .put("tool", "gpu.lease")
                .put("n", n)
                .put("price", 0.25 * n);
        return AuditEvent.of("agent-" + (n % 3), EntryKind.TOOL_CALL, Actor.agent("agent-" + (n % 3)), payload)
                .withSubject(SubjectKind.INTENT, "intent-" + n);
    }
}
