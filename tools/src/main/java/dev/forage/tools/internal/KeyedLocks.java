package dev.forage.tools.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per key, created on first use and dropped when no thread holds or waits for it, so
 * that work on the same key (one payment, one authorization) is serialised while different keys
 * run concurrently, without keeping a lock per key forever.
 */
public final class KeyedLocks {

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** Runs {@code work} holding the lock of {@code key}. */
    public <T> T withLock(String key, Supplier<T> work) {
        Entry entry;
        synchronized (entries) {
            entry = entries.computeIfAbsent(key, k -> new Entry());
            entry.users++;
        }
        entry.lock.lock();
        try {
            return work.get();
        } finally {
            entry.lock.unlock();
            synchronized (entries) {
                if (--entry.users == 0) {
                    entries.remove(key);
                }
            }
        }
    }

    /** How many keys have a lock now (for tests). */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
