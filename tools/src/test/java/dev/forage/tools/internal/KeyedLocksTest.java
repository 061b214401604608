package dev.forage.tools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedLocksTest {

    @Test
    void serialisesOneKeyAndForgetsIdleKeys() throws Exception {
        KeyedLocks locks = new KeyedLocks();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        List<Future<Integer>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 400; i++) {
                futures.add(pool.submit(() -> locks.withLock("same", () -> {
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    Thread.onSpinWait();
                    inside.decrementAndGet();
                    return now;
                })));
            }
            for (Future<Integer> f : futures) {
                f.get();
            }
        }

        assertThat(maxInside.get()).as("threads inside the same key at once").isEqualTo(1);
        assertThat(locks.size()).as("locks kept after all work ended").isZero();
    }

    @Test
    void differentKeysDoNotWaitForEachOther() {
        KeyedLocks locks = new KeyedLocks();

        String nested = locks.withLock("a", () -> locks.withLock("b", () -> "both held"));

        assertThat(nested).isEqualTo("both held");
        assertThat(locks.size()).isZero();
    }
}
