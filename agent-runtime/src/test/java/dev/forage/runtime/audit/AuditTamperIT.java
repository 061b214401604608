package dev.forage.runtime.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.runtime.audit.VerificationResult.Failed;
import dev.forage.runtime.audit.VerificationResult.Problem;
import dev.forage.runtime.audit.internal.LogSchema;
import dev.forage.runtime.audit.merkle.Rfc6962;
import dev.forage.runtime.audit.note.NoteVerifier;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampers with a real log (its SQLite file, and its export) in every way the issue lists, at
 * many random positions, and checks that every single change is detected and that the first
 * bad entry named is never after the first changed entry nor before the last checkpoint that
 * still covers only untouched entries.
 */
class AuditTamperIT {

    private static final int SIZE = 200;
    private static final int EVERY = 20;
    private static final int TRIALS = 25;
    private static final Clock FIXED = Clock.fixed(Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path dir;

    private static Path original;
    private static NoteVerifier key;
    private static List<String> exportLines;
    private static AuditVerifier.Trusted finalCheckpoint;

    @BeforeAll
    static void writeALog() throws IOException {
        original = dir.resolve("original/audit.db");
        key = writeLog(AuditLogConfig.of(original, AuditFixtures.ORIGIN).withCheckpoints(EVERY, java.time.Duration.ofHours(1))
                .withClock(FIXED), SIZE, -1);
        StringWriter out = new StringWriter();
        AuditExporter.export(original, out);
        exportLines = out.toString().lines().toList();
        Path cp = dir.resolve("final.checkpoint");
        Files.writeString(cp, new com.fasterxml.jackson.databind.ObjectMapper().readTree(exportLines.get(0))
                .get("checkpoint").textValue());
        finalCheckpoint = AuditVerifier.loadTrusted(cp, key);
    }

    @Test
    void theUntouchedLogAndItsExportVerify() {
        VerificationResult db = AuditVerifier.verifyDatabase(original, key, List.of(finalCheckpoint));
        VerificationResult export = AuditVerifier.verifyExport(write(exportLines), key, List.of(finalCheckpoint));

        assertThat(db).isEqualTo(new VerificationResult.Verified(SIZE, SIZE / EVERY, SIZE, 0));
        assertThat(export).isEqualTo(new VerificationResult.Verified(SIZE, SIZE / EVERY, SIZE, 0));
    }

    @Test
    void modifiedEntriesAreDetectedAtTheEntry() throws Exception {
        int detected = 0;
        for (int i : positions(1)) {
            Path db = copy();
            try (Connection c = open(db)) {
                byte[] forged = forgedLeaf(i);
                exec(c, "UPDATE entries SET leaf = ? WHERE seq = ?", forged, i);
            }
            detected += expect(db, i, i, Problem.MODIFIED_ENTRY);
        }
        assertThat(detected).isEqualTo(TRIALS);
    }

    @Test
    void modifiedEntriesWithRecomputedHashesAreDetectedByTheNextCheckpoint() throws Exception {
        int detected = 0;
        for (int i : positions(2)) {
            Path db = copy();
            try (Connection c = open(db)) {
                byte[] forged = forgedLeaf(i);
                exec(c, "UPDATE entries SET leaf = ?, leaf_hash = ? WHERE seq = ?", forged, Rfc6962.leafHash(forged), i);
            }
            detected += expect(db, (i / EVERY) * EVERY, i, Problem.CHECKPOINT_MISMATCH);
        }
        assertThat(detected).isEqualTo(TRIALS);
    }

    @Test
    void deletedEntriesAreDetected() throws Exception {
        int detected = 0;
        for (int i : positions(3)) {
            Path gap = copy();
            try (Connection c = open(gap)) {
                exec(c, "DELETE FROM entries WHERE seq = ?", i);
            }
            detected += expect(gap, i, i, i == SIZE - 1 ? Problem.TRUNCATED : Problem.MISSING_ENTRY);
            Path renumbered = copy();
            try (Connection c = open(renumbered)) {
                exec(c, "DELETE FROM entries WHERE seq = ?", i);
                exec(c, "UPDATE entries SET seq = seq - 1 WHERE seq > ?", i);
            }
            detected += expect(renumbered, i, i, i == SIZE - 1 ? Problem.TRUNCATED : Problem.MISORDERED_ENTRY);
        }
        assertThat(detected).isEqualTo(2 * TRIALS);
    }

    @Test
    void reorderedEntriesAreDetected() throws Exception {
        SplittableRandom random = new SplittableRandom(4);
        int detected = 0;
        for (int t = 0; t < TRIALS; t++) {
            int i = random.nextInt(SIZE - 1);
            int j = i + 1 + random.nextInt(SIZE - 1 - i);
            Path db = copy();
            try (Connection c = open(db)) {
                Row a = row(c, i);
                Row b = row(c, j);
                exec(c, "UPDATE entries SET leaf = ?, leaf_hash = ? WHERE seq = ?", b.leaf, b.hash, i);
                exec(c, "UPDATE entries SET leaf = ?, leaf_hash = ? WHERE seq = ?", a.leaf, a.hash, j);
            }
            detected += expect(db, i, i, Problem.MISORDERED_ENTRY);
        }
        assertThat(detected).isEqualTo(TRIALS);
    }

    @Test
    void insertedEntriesAreDetected() throws Exception {
        int detected = 0;
        for (int i : positions(5)) {
            Path db = copy();
            try (Connection c = open(db)) {
                // make room (highest first, the primary key forbids overlaps), then slip a well-formed entry in
                try (PreparedStatement s = c.prepareStatement("SELECT seq FROM entries WHERE seq >= ? ORDER BY seq DESC")) {
                    s.setLong(1, i);
                    List<Long> seqs = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            seqs.add(rs.getLong(1));
                        }
                    }
                    for (long seq : seqs) {
                        exec(c, "UPDATE entries SET seq = ? WHERE seq = ?", seq + 1, seq);
                    }
                }
                byte[] forged = forgedLeaf(i);
                exec(c, "INSERT INTO entries(seq, leaf, leaf_hash) VALUES (?, ?, ?)", i, forged, Rfc6962.leafHash(forged));
            }
            // the forged entry itself is well-formed: either the displaced entry after it gives the
            // insertion away, or, when the forged entry completes a checkpoint, that checkpoint does
            boolean atCheckpoint = (i + 1) % EVERY == 0;
            detected += expect(db, atCheckpoint ? (i / EVERY) * EVERY : i, i,
                    atCheckpoint ? Problem.CHECKPOINT_MISMATCH : Problem.MISORDERED_ENTRY);
        }
        assertThat(detected).isEqualTo(TRIALS);
    }

    @Test
    void truncatedLogsAreDetected() throws Exception {
        int detected = 0;
        for (int i : positions(6)) {
            Path entriesOnly = copy();
            try (Connection c = open(entriesOnly)) {
                exec(c, "DELETE FROM entries WHERE seq >= ?", i);
            }
            detected += expect(entriesOnly, i, i, Problem.TRUNCATED);
            // a thorough attacker also removes the checkpoints that mention the lost entries:
            // only a checkpoint someone kept (a trusted reference) can tell
            Path both = copy();
            try (Connection c = open(both)) {
                exec(c, "DELETE FROM entries WHERE seq >= ?", i);
                exec(c, "DELETE FROM checkpoints WHERE tree_size > ?", i);
            }
            VerificationResult result = AuditVerifier.verifyDatabase(both, key, List.of(finalCheckpoint));
            detected += check(result, i, i, Problem.TRUNCATED);
        }
        assertThat(detected).isEqualTo(2 * TRIALS);
    }

    @Test
    void aForkUnderTheSameOriginAndKeyIsDetected() throws Exception {
        int detected = 0;
        for (int k : positions(7).subList(0, 10)) {
            // given a second log with the same origin and signing key, sharing the first k entries
            Path forkDir = dir.resolve("fork-" + k);
            Files.createDirectories(forkDir);
            Files.copy(original.resolveSibling("audit.db.key"), forkDir.resolve("audit.db.key"),
                    StandardCopyOption.COPY_ATTRIBUTES);
            Path fork = forkDir.resolve("audit.db");
            writeLog(AuditLogConfig.of(fork, AuditFixtures.ORIGIN).withCheckpoints(EVERY, java.time.Duration.ofHours(1))
                    .withClock(FIXED), SIZE, k);

            // then on its own it verifies (the key signed it), but not against what the first log published
            assertThat(AuditVerifier.verifyDatabase(fork, key, List.of()).ok()).isTrue();
            detected += check(AuditVerifier.verifyDatabase(fork, key, List.of(finalCheckpoint)), 0, k, Problem.FORK);
            AuditVerifier.Trusted export = AuditVerifier.loadTrusted(write(exportLines), key);
            detected += check(AuditVerifier.verifyDatabase(fork, key, List.of(export)), k, k, Problem.FORK);
            detected += check(AuditVerifier.verifyDatabase(original, key,
                    List.of(AuditVerifier.loadTrusted(exportOf(fork), key))), k, k, Problem.FORK);
        }
        assertThat(detected).isEqualTo(30);
    }

    @Test
    void everyTamperingOfAnExportIsDetected() {
        SplittableRandom random = new SplittableRandom(8);
        int first = exportLines.size() - SIZE; // index of the line of entry 0
        int detected = 0;
        for (int t = 0; t < TRIALS; t++) {
            int i = random.nextInt(SIZE);
            // modify
            List<String> lines = new ArrayList<>(exportLines);
            lines.set(first + i, lines.get(first + i).replace("\"tool\":\"gpu.lease\"", "\"tool\":\"gpu.lease.x\""));
            detected += checkExport(lines, i, i, Problem.MODIFIED_ENTRY);
            // delete
            lines = new ArrayList<>(exportLines);
            lines.remove(first + i);
            detected += checkExport(lines, i, i, i == SIZE - 1 ? Problem.TRUNCATED : Problem.MISSING_ENTRY);
            // reorder
            if (i < SIZE - 1) {
                int j = i + 1 + random.nextInt(SIZE - 1 - i);
                lines = new ArrayList<>(exportLines);
                Collections.swap(lines, first + i, first + j);
                detected += checkExport(lines, i, i, Problem.MISSING_ENTRY);
            } else {
                detected++;
            }
            // insert: a duplicate of entry i after it
            lines = new ArrayList<>(exportLines);
            lines.add(first + i + 1, exportLines.get(first + i));
            detected += checkExport(lines, i, i + 1, Problem.MISORDERED_ENTRY);
            // truncate
            lines = new ArrayList<>(exportLines.subList(0, first + i));
            detected += checkExport(lines, i, i, Problem.TRUNCATED);
        }
        assertThat(detected).isEqualTo(5 * TRIALS);
    }

    private int checkExport(List<String> lines, long lowest, long highest, Problem problem) {
        return check(AuditVerifier.verifyExport(write(lines), key, List.of()), lowest, highest, problem);
    }

    /** 1 if the result is a failure of this kind whose first bad entry lies in [lowest, highest]. */
    private static int check(VerificationResult result, long lowest, long highest, Problem problem) {
        assertThat(result).isInstanceOf(Failed.class);
        Failed failed = (Failed) result;
        assertThat(failed.problem()).as(failed.message()).isEqualTo(problem);
        assertThat(failed.firstBadEntry()).as(failed.message()).isBetween(lowest, highest);
        return 1;
    }

    private static int expect(Path db, long lowest, long highest, Problem problem) {
        return check(AuditVerifier.verifyDatabase(db, key, List.of()), lowest, highest, problem);
    }

    private static NoteVerifier writeLog(AuditLogConfig config, int size, int divergeAt) {
        try (AuditLog log = AuditLog.open(config)) {
            for (int n = 0; n < size; n++) {
                // one at a time, so that checkpoints fall exactly every EVERY entries
                log.append(AuditFixtures.event(n == divergeAt ? 1_000_000 + n : n)).join();
            }
            return log.verifier();
        }
    }

    private static byte[] forgedLeaf(long i) {
        return AuditEntry.of(i, FIXED.instant(), AuditFixtures.event(9_999_999)).canonicalBytes();
    }

    private static Path exportOf(Path db) throws IOException {
        StringWriter out = new StringWriter();
        AuditExporter.export(db, out);
        return write(out.toString().lines().toList());
    }

    private static Path write(List<String> lines) {
        try {
            Path file = Files.createTempFile(dir, "export", ".jsonl");
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Integer> positions(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> out = new ArrayList<>();
        out.add(0);
        out.add(SIZE - 1);
        while (out.size() < TRIALS) {
            out.add(random.nextInt(SIZE));
        }
        return out;
    }

    private static Path copy() throws IOException {
        Path db = Files.createTempFile(dir, "tampered", ".db");
        Files.copy(original, db, StandardCopyOption.REPLACE_EXISTING);
        return db;
    }

    private static Connection open(Path db) throws SQLException {
        Connection c = LogSchema.openWritable(db);
        try (Statement s = c.createStatement()) {
            for (String trigger : List.of("entries_no_update", "entries_no_delete", "checkpoints_no_update", "checkpoints_no_delete")) {
                s.executeUpdate("DROP TRIGGER IF EXISTS " + trigger);
            }
        }
        return c;
    }

    private record Row(byte[] leaf, byte[] hash) {}

    private static Row row(Connection c, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT leaf, leaf_hash FROM entries WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Row(rs.getBytes(1), rs.getBytes(2));
            }
        }
    }

    private static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
