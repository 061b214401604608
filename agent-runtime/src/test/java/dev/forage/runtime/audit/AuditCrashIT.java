package dev.forage.runtime.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.runtime.audit.merkle.Rfc6962;
import dev.forage.runtime.audit.note.NoteVerifier;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM (SIGKILL) in the middle of a burst of appends from 4 threads, three times
 * over the same log, and checks after each kill: every acknowledged entry is there with the
 * acknowledged leaf hash, no entry is torn, and the tree matches the last signed checkpoint.
 */
class AuditCrashIT {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEntrySurvivesAKill() throws Exception {
        Path db = dir.resolve("audit.db");
        Map<Long, String> acked = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            int killAfter = 1500 + round * 700;
            Map<Long, String> roundAcks = runAndKill(db, killAfter);
            assertThat(roundAcks).hasSizeGreaterThanOrEqualTo(killAfter);
            acked.putAll(roundAcks);

            NoteVerifier key = NoteVerifier.parse(Files.readString(dir.resolve("audit.db.key.pub")).strip());
            VerificationResult result = AuditVerifier.verifyDatabase(db, key, List.of());
            assertThat(result.ok()).as(result.toString()).isTrue();
            try (AuditLog log = AuditLog.open(AuditFixtures.config(dir, 1_000_000))) {
                long maxAcked = acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
                assertThat(log.size()).isGreaterThan(maxAcked);
                for (Map.Entry<Long, String> ack : acked.entrySet()) {
                    assertThat(Rfc6962.hex(log.entry(ack.getKey()).leafHash())).isEqualTo(ack.getValue());
                }
                SignedCheckpoint last = log.latestCheckpoint().orElseThrow();
                assertThat(last.verifiedBy(key)).isTrue();
                assertThat(log.rootHash(last.checkpoint().treeSize())).isEqualTo(last.checkpoint().rootHash());
            }
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(1500 + 2200 + 2900);
    }

    private static Map<Long, String> runAndKill(Path db, int killAfter) throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        CrashAppender.class.getName(), db.toString(), "4")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Map<Long, String> acks = new HashMap<>();
        CountDownLatch enough = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] parts = line.split(" ");
                    if (parts[0].equals("ACK") && parts.length == 3) {
                        synchronized (acks) {
                            acks.put(Long.parseLong(parts[1]), parts[2]);
                            if (acks.size() >= killAfter) {
                                enough.countDown();
                            }
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closes when the child is killed
            }
        });
        boolean reached = enough.await(120, TimeUnit.SECONDS);
        child.destroyForcibly(); // SIGKILL in the middle of the burst
        child.waitFor(30, TimeUnit.SECONDS);
        reader.join(30_000);
        assertThat(reached).as("child acknowledged %d entries before the kill", killAfter).isTrue();
        synchronized (acks) {
            return new HashMap<>(acks);
        }
    }
}
