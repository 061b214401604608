package dev.forage.runtime.pipeline;

import dev.forage.runtime.audit.AuditEntry;
import dev.forage.runtime.audit.AuditEvent;
import dev.forage.runtime.audit.AuditLog;
import dev.forage.runtime.audit.AuditStorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the chain's audit entries. Appends are pipelined: a step does not wait for its entry
 * to be durable, so the ledger posts a payment before the audit log acknowledges it. Two
 * points wait: before money can move (every entry so far must be durable, or the action stops)
 * and at the end of the action. An entry that fails to append after money moved is kept in a
 * backlog and appended again later, so an audit outage never loses a posting, and never loses
 * the entry for long.
 */
final class AuditRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRecorder.class);

    /** How long the end of an action waits for its entries before moving them to the backlog. */
    private static final long FINISH_WAIT_SECONDS = 30;

    private final AuditLog log;
    private final ConcurrentLinkedQueue<AuditEvent> backlog = new ConcurrentLinkedQueue<>();

    AuditRecorder(AuditLog log) {
        this.log = log;
    }

    /**
     * The entries of one action, in order. The payment guard may append from the thread that
     * signs, so the methods are synchronised.
     */
    final class Session {
        private final List<Pending> pending = new ArrayList<>();
        private int written;
        private SpendIntentDigest digest;

        /** The digest of {@code intent}, computed once per action. */
        synchronized String digestOf(dev.forage.policies.SpendIntent intent) {
            if (digest == null || digest.intent() != intent) {
                digest = new SpendIntentDigest(intent, intent.digest());
            }
            return digest.value();
        }

        /** Appends {@code event}; does not wait. */
        synchronized void append(AuditEvent event) {
            written++;
            CompletableFuture<AuditEntry> future;
            try {
                future = log.append(event);
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            pending.add(new Pending(event, future));
        }

        /** How many entries this action has written (durable or not). */
        synchronized int written() {
            return written;
        }

        /**
         * Waits until every entry so far is durable.
         *
         * @throws AuditStorageException naming the first entry that could not be stored; those
         *     entries go to the backlog
         */
        void awaitDurable() {
            List<Pending> waiting;
            synchronized (this) {
                waiting = List.copyOf(pending);
                pending.clear();
            }
            AuditStorageException first = null;
            for (Pending p : waiting) {
                try {
                    p.future().get(FINISH_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    first = first != null ? first : new AuditStorageException("interrupted while waiting for the audit log", e);
                    backlog.add(p.event());
                } catch (ExecutionException | TimeoutException | CompletionException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    first = first != null ? first : new AuditStorageException("the audit log did not store the "
                            + p.event().kind().wireName() + " entry: " + cause.getMessage(), cause);
                    backlog.add(p.event());
                }
            }
            if (first != null) {
                throw first;
            }
        }

        /** Waits for every entry; entries that failed go to the backlog instead of failing the action. */
        void finish() {
            try {
                awaitDurable();
            } catch (AuditStorageException e) {
                LOG.warn("audit entries kept in the backlog to append later: {}", e.getMessage());
            }
        }
    }

    private record Pending(AuditEvent event, CompletableFuture<AuditEntry> future) {}

    private record SpendIntentDigest(dev.forage.policies.SpendIntent intent, String value) {}

    /** A new session for one action; first appends whatever the backlog holds. */
    Session session() {
        flushBacklog();
        return new Session();
    }

    /** Entries that could not be appended yet. */
    int backlogSize() {
        return backlog.size();
    }

    /**
     * Appends the backlog again, in order, waiting for each; stops at the first failure.
     *
     * @return how many entries are still in the backlog
     */
    int flushBacklog() {
        AuditEvent next;
        while ((next = backlog.peek()) != null) {
            try {
                log.append(next).get(FINISH_WAIT_SECONDS, TimeUnit.SECONDS);
                backlog.remove(next);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                break;
            }
        }
        return backlog.size();
    }

    /** Appends one event and waits until it is durable (for entries outside an action, such as the guard's). */
    void appendNow(AuditEvent event) {
        flushBacklog();
        Session s = new Session();
        s.append(event);
        s.awaitDurable();
    }
}
