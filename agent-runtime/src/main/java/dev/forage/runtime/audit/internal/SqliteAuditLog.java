package dev.forage.runtime.audit.internal;

import dev.forage.runtime.audit.AuditEntry;
import dev.forage.runtime.audit.AuditEvent;
import dev.forage.runtime.audit.AuditException;
import dev.forage.runtime.audit.AuditFormatException;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditLogConfig;
import dev.forage.runtime.audit.AuditStorageException;
import dev.forage.runtime.audit.merkle.ConsistencyProof;
import dev.forage.runtime.audit.merkle.InclusionProof;
import dev.forage.runtime.audit.merkle.MerkleTree;
import dev.forage.runtime.audit.merkle.Rfc6962;
import dev.forage.runtime.audit.note.Checkpoint;
import dev.forage.runtime.audit.note.NoteSigner;
import dev.forage.runtime.audit.note.NoteVerifier;
import dev.forage.runtime.audit.note.SignedCheckpoint;
import dev.forage.runtime.audit.note.SigningKeyFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AuditLog} on SQLite. One writer thread takes every request waiting in its queue (up
 * to {@code maxBatch}), inserts the entries in one transaction and commits (WAL, synchronous
 * FULL: one fsync), then appends their leaf hashes to the in-memory tree and completes the
 * futures. While it commits, new requests queue up and form the next batch: group commit.
 * Checkpoints are cut by the same thread, after the entries they cover are durable.
 */
public final class SqliteAuditLog implements AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteAuditLog.class);

    private final AuditLogConfig config;
    private final NoteSigner signer;
    private final Connection writer;
    private final Connection reader;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final MerkleTree tree = new MerkleTree();
    private final List<SignedCheckpoint> checkpoints = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private final Object readLock = new Object();
    private volatile boolean closed;
    private long lastCheckpointMillis;
    private Instant lastEntryTime = Instant.EPOCH;

    private sealed interface Request permits Append, Cut, Close {}

    private record Append(AuditEvent event, CompletableFuture<AuditEntry> done) implements Request {}

    private record Cut(CompletableFuture<SignedCheckpoint> done) implements Request {}

    private record Close(CompletableFuture<Void> done) implements Request {}

    private record Prepared(Append request, AuditEntry entry, byte[] leaf, byte[] leafHash) {}

    private SqliteAuditLog(AuditLogConfig config, NoteSigner signer, Connection writer, Connection reader,
            FileChannel lockChannel, FileLock lock) {
        this.config = config;
        this.signer = signer;
        this.writer = writer;
        this.reader = reader;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.writerThread = Thread.ofPlatform().name("audit-writer-" + config.path().getFileName()).daemon(true)
                .unstarted(this::runWriter);
    }

    /** Opens the log; see {@link AuditLog#open}. */
    public static SqliteAuditLog open(AuditLogConfig config) {
        Path path = config.path().toAbsolutePath();
        FileChannel lockChannel = null;
        FileLock lock = null;
        Connection writer = null;
        Connection reader = null;
        try {
            Files.createDirectories(path.getParent());
            lockChannel = FileChannel.open(path.resolveSibling(path.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new AuditStorageException("audit log " + path + " is already open for writing (by this or another"
                        + " process); close it there first, or read it with forage audit verify");
            }
            writer = LogSchema.openWritable(path);
            writer.setAutoCommit(false);
            LogSchema.create(writer);
            checkMeta(writer, config);
            writer.commit();
            NoteSigner signer = SigningKeyFile.loadOrCreate(config.keyFile(), config.origin(), config.random());
            reader = LogSchema.openReadOnly(path);
            SqliteAuditLog log = new SqliteAuditLog(config, signer, writer, reader, lockChannel, lock);
            log.load();
            log.writerThread.start();
            LOG.info("audit log {} open: {} entries, {} checkpoints, verifier key {}", path, log.tree.size(),
                    log.checkpoints.size(), signer.verifier().encode());
            return log;
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(reader);
            closeQuietly(writer);
            try {
                if (lock != null) {
                    lock.release();
                }
                if (lockChannel != null) {
                    lockChannel.close();
                }
            } catch (IOException ignored) {
                // the open failed already; the original error is the one to report
            }
            if (e instanceof AuditException audit) {
                throw audit;
            }
            throw new AuditStorageException("cannot open audit log " + path + ": " + e.getMessage(), e);
        }
    }

    private static void checkMeta(Connection c, AuditLogConfig config) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)")) {
            insert.setString(1, "origin");
            insert.setString(2, config.origin());
            insert.executeUpdate();
            insert.setString(1, "format");
            insert.setString(2, LogSchema.FORMAT);
            insert.executeUpdate();
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT key, value FROM meta WHERE key IN ('origin', 'format')")) {
            while (rs.next()) {
                String expected = rs.getString(1).equals("origin") ? config.origin() : LogSchema.FORMAT;
                if (!rs.getString(2).equals(expected)) {
                    throw new AuditFormatException("audit log " + config.path() + " has " + rs.getString(1) + " '"
                            + rs.getString(2) + "', not '" + expected + "'; open it with the origin it was created with");
                }
            }
        }
    }

    private void load() throws SQLException {
        try (Statement s = writer.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq, leaf_hash FROM entries ORDER BY seq")) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                if (seq != tree.size()) {
                    throw new AuditFormatException("audit log " + config.path() + " has no entry " + tree.size()
                            + " (next stored is " + seq + "); run forage audit verify on it");
                }
                tree.append(rs.getBytes(2));
            }
        }
        try (Statement s = writer.createStatement();
                ResultSet rs = s.executeQuery("SELECT tree_size, note FROM checkpoints ORDER BY tree_size")) {
            while (rs.next()) {
                SignedCheckpoint cp = SignedCheckpoint.parse(rs.getString(2));
                Checkpoint c = cp.checkpoint();
                if (c.treeSize() != rs.getLong(1) || !cp.verifiedBy(signer.verifier()) || !c.origin().equals(config.origin())) {
                    throw new AuditFormatException("checkpoint at size " + rs.getLong(1) + " of " + config.path()
                            + " is not signed by this log's key " + signer.verifier().encode() + "; run forage audit verify");
                }
                if (c.treeSize() > tree.size() || !MessageDigest.isEqual(c.rootHash(), tree.rootHash(c.treeSize()))) {
                    throw new AuditFormatException("stored entries of " + config.path() + " do not match the checkpoint"
                            + " at size " + c.treeSize() + "; run forage audit verify to find the first bad entry");
                }
                checkpoints.add(cp);
            }
        }
        writer.commit();
        lastCheckpointMillis = config.clock().millis();
    }

    @Override
    public CompletableFuture<AuditEntry> append(AuditEvent event) {
        CompletableFuture<AuditEntry> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(closedError());
        } else {
            queue.add(new Append(event, done));
        }
        return done;
    }

    @Override
    public CompletableFuture<SignedCheckpoint> checkpoint() {
        CompletableFuture<SignedCheckpoint> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(closedError());
        } else {
            queue.add(new Cut(done));
        }
        return done;
    }

    @Override
    public String origin() {
        return config.origin();
    }

    @Override
    public NoteVerifier verifier() {
        return signer.verifier();
    }

    @Override
    public long size() {
        return tree.size();
    }

    @Override
    public Optional<SignedCheckpoint> latestCheckpoint() {
        List<SignedCheckpoint> all = checkpoints;
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    @Override
    public List<SignedCheckpoint> checkpoints() {
        return List.copyOf(checkpoints);
    }

    @Override
    public AuditEntry entry(long sequence) {
        if (sequence < 0 || sequence >= tree.size()) {
            throw new IllegalArgumentException("no entry " + sequence + "; the log has " + tree.size() + " entries");
        }
        synchronized (readLock) {
            try (PreparedStatement s = reader.prepareStatement("SELECT leaf FROM entries WHERE seq = ?")) {
                s.setLong(1, sequence);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new AuditFormatException("entry " + sequence + " is missing from " + config.path()
                                + "; run forage audit verify");
                    }
                    return AuditEntry.fromCanonicalBytes(rs.getBytes(1));
                }
            } catch (SQLException e) {
                throw new AuditStorageException("cannot read entry " + sequence + " of " + config.path() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public byte[] rootHash(long treeSize) {
        return tree.rootHash(treeSize);
    }

    @Override
    public InclusionProof inclusionProof(long sequence, long treeSize) {
        return new InclusionProof(sequence, treeSize, tree.inclusionProof(sequence, treeSize));
    }

    @Override
    public ConsistencyProof consistencyProof(long size1, long size2) {
        return new ConsistencyProof(size1, size2, tree.consistencyProof(size1, size2));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Close(done));
        try {
            writerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failPending();
        closeQuietly(reader);
        closeQuietly(writer);
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("cannot release the lock of audit log {}: {}", config.path(), e.getMessage());
        }
        done.join();
    }

    private void runWriter() {
        List<Request> batch = new ArrayList<>();
        long pollMillis = Math.max(1, Math.min(config.checkpointInterval().toMillis(), 100));
        while (true) {
            Request first;
            try {
                first = queue.poll(pollMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                cutIfDue();
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, config.maxBatch() - 1);
            List<Append> appends = new ArrayList<>(batch.size());
            boolean closing = false;
            for (Request request : batch) {
                if (closing) {
                    failRequest(request);
                    continue;
                }
                switch (request) {
                    case Append append -> appends.add(append);
                    case Cut cut -> {
                        commit(appends);
                        appends.clear();
                        completeCut(cut.done());
                    }
                    case Close close -> {
                        commit(appends);
                        appends.clear();
                        try {
                            if (tree.size() > latestSize()) {
                                cut();
                            }
                            close.done().complete(null);
                        } catch (RuntimeException e) {
                            close.done().completeExceptionally(e);
                        }
                        closing = true;
                    }
                }
            }
            commit(appends);
            batch.clear();
            if (closing) {
                return;
            }
            cutIfDue();
        }
    }

    private void commit(List<Append> appends) {
        if (appends.isEmpty()) {
            return;
        }
        List<Prepared> prepared = new ArrayList<>(appends.size());
        Instant now = config.clock().instant();
        if (now.isBefore(lastEntryTime)) {
            now = lastEntryTime; // entry times never go backwards, even if the wall clock does
        }
        long seq = tree.size();
        for (Append append : appends) {
            try {
                AuditEntry entry = AuditEntry.of(seq, now, append.event());
                byte[] leaf = entry.canonicalBytes();
                prepared.add(new Prepared(append, entry, leaf, Rfc6962.leafHash(leaf)));
                seq++;
            } catch (RuntimeException e) {
                append.done().completeExceptionally(e); // this entry cannot be canonicalized; the others go on
            }
        }
        if (prepared.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = writer.prepareStatement("INSERT INTO entries(seq, leaf, leaf_hash) VALUES (?, ?, ?)")) {
            for (Prepared p : prepared) {
                insert.setLong(1, p.entry().sequence());
                insert.setBytes(2, p.leaf());
                insert.setBytes(3, p.leafHash());
                insert.addBatch();
            }
            insert.executeBatch();
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            AuditStorageException failure = new AuditStorageException("cannot store " + prepared.size()
                    + " audit entries in " + config.path() + ": " + e.getMessage() + "; nothing was stored, append again", e);
            prepared.forEach(p -> p.request().done().completeExceptionally(failure));
            return;
        }
        lastEntryTime = now;
        for (Prepared p : prepared) {
            tree.append(p.leafHash());
        }
        for (Prepared p : prepared) {
            p.request().done().complete(p.entry());
        }
    }

    private void completeCut(CompletableFuture<SignedCheckpoint> done) {
        try {
            if (!checkpoints.isEmpty() && tree.size() == latestSize()) {
                done.complete(checkpoints.get(checkpoints.size() - 1));
            } else {
                done.complete(cut());
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    private void cutIfDue() {
        long size = tree.size();
        long since = size - latestSize();
        if (since <= 0) {
            return;
        }
        boolean countDue = since >= config.checkpointEvery();
        boolean timeDue = config.clock().millis() - lastCheckpointMillis >= config.checkpointInterval().toMillis();
        if (countDue || timeDue) {
            try {
                cut();
            } catch (RuntimeException e) {
                LOG.warn("cannot cut a checkpoint of audit log {} at size {}: {}", config.path(), size, e.getMessage());
            }
        }
    }

    private SignedCheckpoint cut() {
        long size = tree.size();
        SignedCheckpoint cp = SignedCheckpoint.sign(Checkpoint.of(config.origin(), size, tree.rootHash(size)), signer);
        try (PreparedStatement insert = writer.prepareStatement("INSERT INTO checkpoints(tree_size, note) VALUES (?, ?)")) {
            insert.setLong(1, size);
            insert.setString(2, cp.encode());
            insert.executeUpdate();
            writer.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new AuditStorageException("cannot store the checkpoint at size " + size + " of " + config.path()
                    + ": " + e.getMessage(), e);
        }
        checkpoints.add(cp);
        lastCheckpointMillis = config.clock().millis();
        return cp;
    }

    private long latestSize() {
        return checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).checkpoint().treeSize();
    }

    private void failPending() {
        List<Request> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(this::failRequest);
    }

    private void failRequest(Request request) {
        switch (request) {
            case Append a -> a.done().completeExceptionally(closedError());
            case Cut c -> c.done().completeExceptionally(closedError());
            case Close c -> c.done().complete(null);
        }
    }

    private AuditStorageException closedError() {
        return new AuditStorageException("audit log " + config.path() + " is closed; open it again to append");
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback of audit log {} failed: {}", config.path(), e.getMessage());
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing after the data is committed or after a failed open: nothing left to save
            }
        }
    }
}
