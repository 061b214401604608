package dev.forage.runtime.audit;

import dev.forage.runtime.audit.merkle.Rfc6962;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * Child process of {@link AuditCrashIT}: appends from several threads as fast as it can and
 * prints {@code ACK <seq> <leaf hash>} for every entry whose future completed (is durable),
 * until it is killed.
 */
public final class CrashAppender {

    private CrashAppender() {}

    /** Arguments: the log database path and the number of writer threads. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        AuditLog log = AuditLog.open(AuditLogConfig.of(Path.of(args[0]), AuditFixtures.ORIGIN)
                .withCheckpoints(50, Duration.ofMillis(20)));
        out.println("READY " + log.size());
        int threads = Integer.parseInt(args[1]);
        for (int t = 0; t < threads; t++) {
            long base = (log.size() + 1) * 1000 + t * 1_000_000_000L;
            Thread.ofPlatform().start(() -> {
                Semaphore inFlight = new Semaphore(32);
                for (long n = base; ; n++) {
                    inFlight.acquireUninterruptibly();
                    log.append(AuditFixtures.event(n)).whenComplete((entry, error) -> {
                        inFlight.release();
                        if (entry != null) {
                            synchronized (out) {
                                out.println("ACK " + entry.sequence() + " " + Rfc6962.hex(entry.leafHash()));
                            }
                        }
                    });
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
