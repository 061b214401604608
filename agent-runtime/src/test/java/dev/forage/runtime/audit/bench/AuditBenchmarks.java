package dev.forage.runtime.audit.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.forage.runtime.audit.Actor;
import dev.forage.runtime.audit.AuditEntry;
import dev.forage.runtime.audit.AuditEvent;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditLogConfig;
import dev.forage.runtime.audit.EntryKind;
import dev.forage.runtime.audit.SubjectKind;
import dev.forage.runtime.audit.internal.LogSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The audit log's benchmark harness (not a test): durable append throughput and time to
 * durable ack with 1, 4 and 16 writer threads; the storage comparison that chose SQLite; and
 * the JMH proof benchmarks. Run through the {@code bench} Maven profile (see BENCHMARKS.md);
 * arguments: {@code all} (default), {@code storage}, {@code append} or {@code proofs}.
 */
public final class AuditBenchmarks {

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("bench.seconds", 8));

    private AuditBenchmarks() {}

    /** Runs the selected benchmarks and prints Markdown tables. */
    public static void main(String[] args) throws Exception {
        String what = args.length == 0 ? "all" : args[0];
        System.out.printf("machine: %d cores, %d MiB max heap, %s %s, JDK %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"));
        if (what.equals("all") || what.equals("storage")) {
            storage();
        }
        if (what.equals("all") || what.equals("append")) {
            append();
        }
        if (what.equals("all") || what.equals("proofs")) {
            new Runner(new OptionsBuilder().include(ProofBenchmark.class.getSimpleName()).build()).run();
        }
    }

    /** SQLite (WAL, synchronous=FULL) against an append-only segment file with fsync, per commit batch size. */
    private static void storage() throws Exception {
        byte[] leaf = AuditEntry.of(123456, Instant.now(), event(123456)).canonicalBytes();
        System.out.printf("%n### Storage: durable entries/s by commit batch size (entry of %d bytes)%n%n", leaf.length);
        System.out.println("| batch | SQLite WAL synchronous=FULL | segment file + fsync |");
        System.out.println("|---:|---:|---:|");
        for (int batch : new int[] {1, 16, 128, 1024}) {
            System.out.printf("| %d | %,.0f | %,.0f |%n", batch, sqlite(batch, leaf), segment(batch, leaf));
        }
    }

    private static double sqlite(int batch, byte[] leaf) throws Exception {
        Path dir = Files.createTempDirectory("bench-sqlite");
        try (Connection c = LogSchema.openWritable(dir.resolve("b.db"))) {
            c.setAutoCommit(false);
            LogSchema.create(c);
            c.commit();
            long seq = 0;
            long end = System.nanoTime() + Math.min(RUN.toNanos(), Duration.ofSeconds(3).toNanos());
            long start = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO entries(seq, leaf, leaf_hash) VALUES (?, ?, ?)")) {
                while (System.nanoTime() < end) {
                    for (int i = 0; i < batch; i++) {
                        insert.setLong(1, seq++);
                        insert.setBytes(2, leaf);
                        insert.setBytes(3, Arrays.copyOf(leaf, 32));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    c.commit();
                }
            }
            return seq / ((System.nanoTime() - start) / 1e9);
        } finally {
            deleteTree(dir);
        }
    }

    private static double segment(int batch, byte[] leaf) throws Exception {
        Path dir = Files.createTempDirectory("bench-segment");
        try (FileChannel ch = FileChannel.open(dir.resolve("segment"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.allocate(batch * (leaf.length + 44));
            long n = 0;
            long end = System.nanoTime() + Math.min(RUN.toNanos(), Duration.ofSeconds(3).toNanos());
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                buf.clear();
                for (int i = 0; i < batch; i++) {
                    // length, sequence, leaf hash, leaf: what a segment record would need
                    buf.putInt(leaf.length).putLong(n++).put(leaf, 0, 32).put(leaf);
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            }
            return n / ((System.nanoTime() - start) / 1e9);
        } finally {
            deleteTree(dir);
        }
    }

    /** Durable appends through the real log: closed loop (one append in flight per thread) and pipelined (64). */
    private static void append() throws Exception {
        System.out.printf("%n### Durable appends through AuditLog (%d s per row)%n%n", RUN.toSeconds());
        System.out.println("| writer threads | in flight per thread | entries/s | p50 ack (ms) | p99 ack (ms) |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int inFlight : new int[] {1, 64}) {
            for (int threads : new int[] {1, 4, 16}) {
                appendRun(threads, inFlight);
            }
        }
    }

    private static void appendRun(int threads, int inFlight) throws Exception {
        Path dir = Files.createTempDirectory("bench-log");
        AuditLogConfig config = AuditLogConfig.of(dir.resolve("audit.db"), "forage.dev/bench")
                .withCheckpoints(1000, Duration.ofSeconds(1));
        try (AuditLog log = AuditLog.open(config)) {
            // warm up the JIT and the database file
            List<CompletableFuture<AuditEntry>> warm = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                warm.add(log.append(event(i)));
            }
            CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).join();
            long before = log.size();
            AtomicBoolean running = new AtomicBoolean(true);
            long[][] latencies = new long[threads][];
            int[] counts = new int[threads];
            List<Thread> writers = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                latencies[t] = new long[4_000_000 / threads];
                writers.add(Thread.ofPlatform().start(() -> {
                    Semaphore slots = new Semaphore(inFlight);
                    long n = 0;
                    while (running.get()) {
                        slots.acquireUninterruptibly();
                        long sent = System.nanoTime();
                        log.append(event(id * 100_000_000L + n++)).whenComplete((e, x) -> {
                            long took = System.nanoTime() - sent;
                            synchronized (latencies[id]) {
                                if (counts[id] < latencies[id].length) {
                                    latencies[id][counts[id]++] = took;
                                }
                            }
                            slots.release();
                        });
                    }
                    slots.acquireUninterruptibly(inFlight);
                }));
            }
            Thread.sleep(RUN.toMillis());
            running.set(false);
            for (Thread w : writers) {
                w.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long appended = log.size() - before;
            long total = 0;
            for (int c : counts) {
                total += c;
            }
            long[] all = new long[(int) total];
            int k = 0;
            for (int t = 0; t < threads; t++) {
                System.arraycopy(latencies[t], 0, all, k, counts[t]);
                k += counts[t];
            }
            Arrays.sort(all);
            System.out.printf("| %d | %d | %,.0f | %.2f | %.2f |%n", threads, inFlight, appended / seconds,
                    all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
        } finally {
            deleteTree(dir);
        }
    }

    private static AuditEvent event(long n) {
        return AuditEvent.of("agent-" + (n % 16), EntryKind.TOOL_CALL, Actor.agent("agent-" + (n % 16)),
                        JsonNodeFactory.instance.objectNode()
                                .put("tool", "compute.lease")
                                .put("provider", "akash")
                                .put("gpu", "H100")
                                .put("hours", 2)
                                .put("maxPrice", "12.50")
                                .put("n", n))
                .withSubject(SubjectKind.INTENT, "intent-" + n);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
