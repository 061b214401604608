package dev.forage.tools.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProviderResilienceTest {

    private static final ProviderResilience.Settings FAST = ProviderResilience.Settings.defaults().withoutBackoff()
            .withCallTimeout(Duration.ofSeconds(5));

    private static RemoteCallException status(int status) {
        return RemoteCallException.ofStatus("p", "GET /x", status, "{\"error\":\"e" + status + "\"}", Optional.empty());
    }

    private static RemoteCallException rateLimited(Duration retryAfter) {
        return RemoteCallException.ofStatus("p", "GET /x", 429, "{}", Optional.of(retryAfter));
    }

    /** Settings with a small breaker window and one attempt per call, so each call is one recorded outcome. */
    private static ProviderResilience.Settings breaker(float threshold) {
        return new ProviderResilience.Settings(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5), threshold,
                4, Duration.ofMinutes(10), 16);
    }

    @Test
    void retriableFailuresAreRetriedUntilTheySucceed() {
        ProviderResilience r = ProviderResilience.of("p", FAST);
        AtomicInteger calls = new AtomicInteger();

        String result = r.call("list", () -> {
            if (calls.incrementAndGet() < 3) {
                throw status(503);
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void retriableFailuresAreRetriedUpToTheAttemptLimitAndTheLastIsThrown() {
        ProviderResilience r = ProviderResilience.of("p", FAST.withMaxAttempts(4));
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> r.call("list", () -> {
            calls.incrementAndGet();
            throw status(500 + calls.get());
        })).isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.status()).hasValue(504));
        assertThat(calls).hasValue(4);
    }

    @Test
    void callOnceNeverRetriesButStillFeedsTheBreaker() {
        ProviderResilience r = ProviderResilience.of("p", FAST.withMaxAttempts(3));
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> r.callOnce("deploy", () -> {
                calls.incrementAndGet();
                throw status(503);
            })).isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.retriable()).isTrue());
        }

        assertThat(calls).as("one attempt per call").hasValue(4);
        assertThat(r.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(4);
        assertThat(r.callOnce("deploy", () -> "done")).isEqualTo("done");
    }

    @Test
    void nonRetriableFailuresAreThrownAtOnce() {
        for (RuntimeException failure : List.<RuntimeException>of(status(400), status(401), status(404), status(422),
                RemoteCallException.malformed("p", "GET /x", "no field"), new IllegalStateException("a bug"))) {
            ProviderResilience r = ProviderResilience.of("p", FAST);
            AtomicInteger calls = new AtomicInteger();

            assertThatThrownBy(() -> r.call("list", () -> {
                calls.incrementAndGet();
                throw failure;
            })).as("%s", failure).isSameAs(failure);
            assertThat(calls).as("%s", failure).hasValue(1);
        }
    }

    @Test
    void aCheckedExceptionBecomesANonRetriableConnectionFailure() {
        ProviderResilience r = ProviderResilience.of("p", FAST);
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> r.call("list", () -> {
            calls.incrementAndGet();
            throw new IOException("disk");
        })).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.CONNECTION);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getCause()).isInstanceOf(IOException.class);
        });
        assertThat(calls).hasValue(1);
    }

    @Test
    void retryAfterIsHonouredAndCappedAtTheLongestBackoff() {
        ProviderResilience.Settings s = new ProviderResilience.Settings(3, Duration.ofMillis(1), Duration.ofMillis(120),
                Duration.ofSeconds(5), 50, 20, Duration.ofSeconds(30), 16);
        ProviderResilience r = ProviderResilience.of("p", s);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        r.retry().getEventPublisher().onRetry(e -> waits.add(e.getWaitInterval()));
        List<Duration> asked = List.of(Duration.ofMillis(40), Duration.ofHours(1));
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> r.call("list", () -> {
            int n = calls.getAndIncrement();
            throw rateLimited(n < asked.size() ? asked.get(n) : Duration.ZERO);
        })).isInstanceOf(RemoteCallException.class);

        assertThat(calls).hasValue(3);
        assertThat(waits).containsExactly(Duration.ofMillis(40), Duration.ofMillis(120));
    }

    @Test
    void withoutRetryAfterTheWaitIsAJitteredBackoffWithinTheCap() {
        ProviderResilience.Settings s = new ProviderResilience.Settings(4, Duration.ofMillis(10), Duration.ofMillis(30),
                Duration.ofSeconds(5), 50, 20, Duration.ofSeconds(30), 16);
        ProviderResilience r = ProviderResilience.of("p", s);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        r.retry().getEventPublisher().onRetry(e -> waits.add(e.getWaitInterval()));

        assertThatThrownBy(() -> r.call("list", () -> {
            throw status(503);
        })).isInstanceOf(RemoteCallException.class);

        assertThat(waits).hasSize(3).allSatisfy(w -> assertThat(w).isBetween(Duration.ofMillis(5), Duration.ofMillis(30)));
    }

    @Test
    void theBreakerOpensAfterRepeatedRetriableFailuresAndThenRejectsWithoutCalling() {
        ProviderResilience r = ProviderResilience.of("p", breaker(50));
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> r.call("list", () -> {
                calls.incrementAndGet();
                throw status(503);
            })).isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.status()).hasValue(503));
        }
        assertThat(r.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThatThrownBy(() -> r.call("list", () -> {
            calls.incrementAndGet();
            return "never";
        })).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.REJECTED_LOCALLY);
            assertThat(e.provider()).isEqualTo("p");
            assertThat(e.getMessage()).contains("circuit breaker is open", "list");
        });
        assertThat(calls).as("the rejected call never ran").hasValue(4);
    }

    @Test
    void timeoutsCountAsFailuresForTheBreaker() {
        ProviderResilience.Settings s = new ProviderResilience.Settings(1, Duration.ofMillis(1), Duration.ofMillis(1),
                Duration.ofMillis(50), 50, 4, Duration.ofMinutes(10), 16);
        ProviderResilience r = ProviderResilience.of("p", s);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> r.call("list", () -> {
                Thread.sleep(2_000);
                return "late";
            })).isInstanceOfSatisfying(RemoteCallException.class,
                    e -> assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.TIMEOUT));
        }

        assertThat(r.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void clientErrorsDoNotOpenTheBreakerAndAreNotCountedAsSuccesses() {
        ProviderResilience r = ProviderResilience.of("p", breaker(50));
        for (int i = 0; i < 12; i++) {
            int status = new int[] {400, 401, 403, 404, 409, 422}[i % 6];
            assertThatThrownBy(() -> r.call("list", () -> {
                throw status(status);
            })).isInstanceOf(RemoteCallException.class);
        }

        assertThat(r.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(r.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(r.circuitBreaker().getMetrics().getNumberOfSuccessfulCalls()).isZero();
    }

    @Test
    void clientErrorsBetweenServerErrorsDoNotDiluteTheFailureRate() {
        // Failure, two 404s, failure, ...: were the 404s successes, the window of four would hold
        // 50% failures, below the 75% threshold; ignored, the window holds only failures.
        ProviderResilience r = ProviderResilience.of("p", breaker(75));
        int[] pattern = {503, 404, 404, 503, 404, 404, 503, 404, 404, 503};
        for (int status : pattern) {
            assertThatThrownBy(() -> r.call("list", () -> {
                throw status(status);
            })).isInstanceOf(RemoteCallException.class);
        }

        assertThat(r.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void aFullBulkheadRejectsAtOnceWithoutCalling() throws Exception {
        ProviderResilience r = ProviderResilience.of("p", new ProviderResilience.Settings(1, Duration.ofMillis(1),
                Duration.ofMillis(1), Duration.ofSeconds(10), 50, 20, Duration.ofSeconds(30), 1));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> r.call("slow", () -> {
            inside.countDown();
            release.await();
            return "first";
        }), java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> r.call("second", () -> {
            calls.incrementAndGet();
            return "second";
        })).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.REJECTED_LOCALLY);
            assertThat(e.getMessage()).contains("too many calls", "second");
        });
        assertThat(calls).hasValue(0);

        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(r.call("third", () -> "third")).as("the bulkhead frees its place").isEqualTo("third");
        assertThat(r.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void theTimeLimiterEndsASlowAttemptAsARetriableTimeoutAndInterruptsIt() throws Exception {
        ProviderResilience r = ProviderResilience.of("p", FAST.withCallTimeout(Duration.ofMillis(100)).withMaxAttempts(2));
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch interrupted = new CountDownLatch(2);
        long started = System.nanoTime();

        assertThatThrownBy(() -> r.call("list", () -> {
            calls.incrementAndGet();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return "late";
        })).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.kind()).isEqualTo(RemoteCallException.Kind.TIMEOUT);
            assertThat(e.retriable()).isTrue();
            assertThat(e.getMessage()).contains("100 ms");
        });

        assertThat(calls).as("a timeout is retried").hasValue(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("each slow attempt was interrupted").isTrue();
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> FAST.withMaxAttempts(0)).hasMessageContaining("maxAttempts 0");
        assertThatThrownBy(() -> FAST.withCallTimeout(Duration.ZERO)).hasMessageContaining("callTimeout");
        assertThatThrownBy(() -> new ProviderResilience.Settings(3, Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 50, 20, Duration.ofSeconds(1), 1)).hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> new ProviderResilience.Settings(3, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 0, 20, Duration.ofSeconds(1), 1)).hasMessageContaining("failureRateThreshold");
        assertThatThrownBy(() -> new ProviderResilience.Settings(3, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 50, 20, Duration.ofSeconds(1), 0)).hasMessageContaining("maxConcurrentCalls");
        assertThat(ProviderResilience.Settings.defaults().maxAttempts()).isEqualTo(3);
    }
}
