package dev.forage.tools.compute.procure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.tools.compute.procure.Observation.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ProviderStatsStore} does; each implementation's test subclasses it. */
abstract class ProviderStatsStoreContract {

    static final ProviderKey A = new ProviderKey("akash", "akash1aaa");
    static final ProviderKey B = new ProviderKey("ionet", "device-b");
    static final Instant T = Fixtures.T0;

    ProviderStatsStore store;

    abstract ProviderStatsStore open();

    @BeforeEach
    void start() {
        store = open();
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void recordReturnsTheStatsAfterTheObservation() {
        store.record(Observation.of(A, Outcome.VERIFIED, Duration.ofSeconds(40), T));
        ProviderStats s = store.record(Observation.of(A, Outcome.VERIFICATION_FAILED, Duration.ofSeconds(50), T.plusSeconds(9)));
        assertThat(s.leaseAttempts()).isEqualTo(2);
        assertThat(s.verificationPasses()).isEqualTo(1);
        assertThat(s.verificationFailures()).isEqualTo(1);
        assertThat(s.latencyEwmaMillis()).isEqualTo(42_000.0);
        assertThat(s.lastSeen()).contains(T.plusSeconds(9));
        assertThat(store.find(A)).contains(s);
    }

    @Test
    void anUnknownProviderHasNoStats() {
        assertThat(store.find(B)).isEmpty();
        assertThat(store.statsOf(B)).isEqualTo(ProviderStats.empty(B));
        assertThat(store.all()).isEmpty();
    }

    @Test
    void allListsEveryProviderByKey() {
        store.record(Observation.leaseFailed(B, T));
        store.record(Observation.of(A, Outcome.JOB_FAILED, Duration.ofSeconds(1), T));
        assertThat(store.all()).extracting(ProviderStats::key).containsExactly(A, B);
        assertThat(store.all().get(1).leaseFailures()).isEqualTo(1);
    }

    @Test
    void concurrentRecordsAreAllCounted() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        Outcome o = (thread + i) % 2 == 0 ? Outcome.VERIFIED : Outcome.JOB_FAILED;
                        store.record(Observation.of(A, o, Duration.ofSeconds(1), T.plusSeconds(i)));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        ProviderStats s = store.statsOf(A);
        assertThat(s.leaseAttempts()).isEqualTo(200);
        assertThat(s.verificationPasses()).isEqualTo(100);
        assertThat(s.jobFailures()).isEqualTo(100);
        assertThat(s.latencySamples()).isEqualTo(200);
    }
}
