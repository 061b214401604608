package dev.forage.runtime.audit;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * How to open an audit log.
 *
 * @param path the SQLite database file of the log
 * @param origin the log's identity, the first line of its checkpoints and its key name (a
 *     schema-less URL without spaces or '+', e.g. {@code forage.dev/agents/prod})
 * @param keyFile the signing key file: created owner-only (0600) with a fresh key when absent;
 *     its public verifier key is written to {@code <keyFile>.pub}
 * @param checkpointEvery cut a checkpoint once this many entries were appended since the last one
 * @param checkpointInterval cut a checkpoint once this long passed since the last one and entries were appended
 * @param maxBatch the most entries committed in one transaction (group commit)
 * @param clock the source of entry times and checkpoint intervals
 * @param random the source of a new signing key
 */
public record AuditLogConfig(
        Path path, String origin, Path keyFile, long checkpointEvery, Duration checkpointInterval, int maxBatch,
        Clock clock, SecureRandom random) {

    /** Validates. */
    public AuditLogConfig {
        if (origin == null || origin.isEmpty() || origin.chars().anyMatch(c -> c == '+' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("origin '" + origin + "' must be non-empty without spaces or '+',"
                    + " e.g. forage.dev/agents/prod");
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be at least 1, got " + checkpointEvery);
        }
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("checkpointInterval must be positive, got " + checkpointInterval);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
    }

    /**
     * Defaults for a log at {@code path}: key file {@code <path>.key}, a checkpoint every 1,000
     * entries or every second, batches of up to 4,096 entries, the system UTC clock.
     */
    public static AuditLogConfig of(Path path, String origin) {
        return new AuditLogConfig(path, origin, path.resolveSibling(path.getFileName() + ".key"), 1000,
                Duration.ofSeconds(1), 4096, Clock.systemUTC(), new SecureRandom());
    }

    /** This config with another key file. */
    public AuditLogConfig withKeyFile(Path keyFile) {
        return new AuditLogConfig(path, origin, keyFile, checkpointEvery, checkpointInterval, maxBatch, clock, random);
    }

    /** This config with other checkpoint triggers. */
    public AuditLogConfig withCheckpoints(long every, Duration interval) {
        return new AuditLogConfig(path, origin, keyFile, every, interval, maxBatch, clock, random);
    }

    /** This config with another batch limit. */
    public AuditLogConfig withMaxBatch(int maxBatch) {
        return new AuditLogConfig(path, origin, keyFile, checkpointEvery, checkpointInterval, maxBatch, clock, random);
    }

    /** This config with another clock. */
    public AuditLogConfig withClock(Clock clock) {
        return new AuditLogConfig(path, origin, keyFile, checkpointEvery, checkpointInterval, maxBatch, clock, random);
    }
}
