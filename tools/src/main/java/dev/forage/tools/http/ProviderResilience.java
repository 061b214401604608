package dev.forage.tools.http;

import dev.forage.tools.ToolException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * The Resilience4j stack around every remote call of one provider, outermost first: retry
 * (exponential backoff with jitter, or the server's {@code Retry-After}, on retriable failures
 * only), circuit breaker (opens when retriable failures pile up, so procurement fails over
 * instead of waiting), time limiter (the whole call, on a virtual thread), and bulkhead (at
 * most so many calls to the provider at once). A call refused by an open breaker or a full
 * bulkhead fails at once with {@link RemoteCallException.Kind#REJECTED_LOCALLY}.
 *
 * <p>Only retriable {@link ToolException}s count as failures for the breaker; everything else
 * (a 404, a 422, a malformed answer) is ignored by it, neither failure nor success: it says
 * nothing about the provider's health. Thread-safe; one instance per provider.
 */
public final class ProviderResilience {

    /**
     * The knobs.
     *
     * @param maxAttempts calls in all, the first included (1 = no retry)
     * @param initialBackoff the first wait between attempts
     * @param maxBackoff the longest wait, also the cap on a server's {@code Retry-After}
     * @param callTimeout the limit for one attempt
     * @param failureRateThreshold percent of recorded calls that must fail to open the breaker
     * @param slidingWindow how many recent calls the breaker looks at
     * @param openFor how long the breaker stays open before letting a trial call through
     * @param maxConcurrentCalls the bulkhead's size
     */
    public record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration callTimeout,
            float failureRateThreshold, int slidingWindow, Duration openFor, int maxConcurrentCalls) {
        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts " + maxAttempts + " must be at least 1");
            }
            requirePositive(initialBackoff, "initialBackoff");
            requirePositive(maxBackoff, "maxBackoff");
            requirePositive(callTimeout, "callTimeout");
            requirePositive(openFor, "openFor");
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff " + maxBackoff + " must not be shorter than initialBackoff "
                        + initialBackoff);
            }
            if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
                throw new IllegalArgumentException("failureRateThreshold " + failureRateThreshold + " must be in (0, 100]");
            }
            if (slidingWindow < 1 || maxConcurrentCalls < 1) {
                throw new IllegalArgumentException("slidingWindow and maxConcurrentCalls must be at least 1");
            }
        }

        private static void requirePositive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " " + d + " must be a positive duration, e.g. PT1S");
            }
        }

        /** 3 attempts from 200 ms backoff up to 5 s, 30 s per attempt, breaker at 50% of 20 calls for 30 s, 16 at once. */
        public static Settings defaults() {
            return new Settings(3, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30), 50, 20,
                    Duration.ofSeconds(30), 16);
        }

        /** No waiting between attempts: for tests. */
        public Settings withoutBackoff() {
            return new Settings(maxAttempts, Duration.ofMillis(1), Duration.ofMillis(1), callTimeout, failureRateThreshold,
                    slidingWindow, openFor, maxConcurrentCalls);
        }

        /** These settings with another number of attempts. */
        public Settings withMaxAttempts(int attempts) {
            return new Settings(attempts, initialBackoff, maxBackoff, callTimeout, failureRateThreshold, slidingWindow, openFor,
                    maxConcurrentCalls);
        }

        /** These settings with another per-attempt limit. */
        public Settings withCallTimeout(Duration timeout) {
            return new Settings(maxAttempts, initialBackoff, maxBackoff, timeout, failureRateThreshold, slidingWindow, openFor,
                    maxConcurrentCalls);
        }
    }

    private static final ExecutorService CALLS = Executors.newVirtualThreadPerTaskExecutor();

    private final String provider;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final TimeLimiter limiter;
    private final Bulkhead bulkhead;

    private ProviderResilience(String provider, Settings s) {
        this.provider = provider;
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(s.initialBackoff(), 2.0, 0.5, s.maxBackoff());
        IntervalBiFunction<Object> wait = (attempt, outcome) -> {
            if (outcome.isLeft() && outcome.getLeft() instanceof RemoteCallException r && r.retryAfter().isPresent()) {
                return Math.min(r.retryAfter().get().toMillis(), s.maxBackoff().toMillis());
            }
            return backoff.apply(attempt);
        };
        this.retry = Retry.of(provider, RetryConfig.custom()
                .maxAttempts(s.maxAttempts())
                .intervalBiFunction(wait)
                .retryOnException(ProviderResilience::retriable)
                .build());
        this.breaker = CircuitBreaker.of(provider, CircuitBreakerConfig.custom()
                .failureRateThreshold(s.failureRateThreshold())
                .slidingWindowSize(s.slidingWindow())
                .minimumNumberOfCalls(Math.min(5, s.slidingWindow()))
                .waitDurationInOpenState(s.openFor())
                .recordException(ProviderResilience::retriable)
                // Neither a failure nor a success: a 404 or a 422 says nothing about the
                // provider's health, and counting it as a success would hide real failures.
                .ignoreException(t -> !retriable(t))
                .build());
        this.limiter = TimeLimiter.of(provider, TimeLimiterConfig.custom()
                .timeoutDuration(s.callTimeout()).cancelRunningFuture(true).build());
        this.bulkhead = Bulkhead.of(provider, BulkheadConfig.custom()
                .maxConcurrentCalls(s.maxConcurrentCalls()).maxWaitDuration(Duration.ZERO).build());
    }

    /** The stack for {@code provider}. */
    public static ProviderResilience of(String provider, Settings settings) {
        return new ProviderResilience(provider, settings);
    }

    /** The provider id. */
    public String provider() {
        return provider;
    }

    /** The circuit breaker, for metrics and tests. */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /** The retry, for metrics and tests. */
    public Retry retry() {
        return retry;
    }

    /**
     * Runs {@code call} through the stack.
     *
     * @param operation what the call does, for messages (e.g. {@code list offers})
     * @throws ToolException what the last attempt threw, or a {@link RemoteCallException} for a
     *     timeout, an open breaker or a full bulkhead
     */
    public <T> T call(String operation, Callable<T> call) {
        return run(operation, call, true);
    }

    /**
     * Runs {@code call} through the stack without retrying it: for a request that is not
     * idempotent (creating or extending a paid resource), where a timed-out attempt may have
     * succeeded and a second one would pay twice. The breaker, time limiter and bulkhead apply
     * as in {@link #call}; a retriable failure is thrown to the caller, who can first look up
     * whether the first attempt took effect.
     *
     * @param operation what the call does, for messages (e.g. {@code deploy})
     * @throws ToolException what the attempt threw, or a {@link RemoteCallException} for a
     *     timeout, an open breaker or a full bulkhead
     */
    public <T> T callOnce(String operation, Callable<T> call) {
        return run(operation, call, false);
    }

    private <T> T run(String operation, Callable<T> call, boolean retried) {
        Callable<T> limited = () -> {
            try {
                return limiter.executeFutureSupplier(() -> CALLS.submit(call));
            } catch (TimeoutException e) {
                throw new RemoteCallException(provider, RemoteCallException.Kind.TIMEOUT, 0, "", null, provider + " "
                        + operation + " took longer than " + limiter.getTimeLimiterConfig().getTimeoutDuration().toMillis()
                        + " ms; retrying may succeed", true, e);
            } catch (ExecutionException e) {
                throw unwrap(e.getCause(), operation);
            }
        };
        Callable<T> guarded = CircuitBreaker.decorateCallable(breaker, Bulkhead.decorateCallable(bulkhead, limited));
        Callable<T> decorated = retried ? Retry.decorateCallable(retry, guarded) : guarded;
        try {
            return decorated.call();
        } catch (CallNotPermittedException e) {
            throw new RemoteCallException(provider, RemoteCallException.Kind.REJECTED_LOCALLY, 0, "", null, provider + " "
                    + operation + " was not attempted: the circuit breaker is open after repeated failures; use another "
                    + "provider or wait " + breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1)
                    + " ms", true, e);
        } catch (BulkheadFullException e) {
            throw new RemoteCallException(provider, RemoteCallException.Kind.REJECTED_LOCALLY, 0, "", null, provider + " "
                    + operation + " was not attempted: too many calls to this provider at once", true, e);
        } catch (ToolException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException(provider, RemoteCallException.Kind.CONNECTION, 0, "", null,
                    "interrupted during " + provider + " " + operation, false, e);
        } catch (Exception e) {
            throw unwrap(e, operation);
        }
    }

    private RuntimeException unwrap(Throwable cause, String operation) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new RemoteCallException(provider, RemoteCallException.Kind.CONNECTION, 0, "", null,
                provider + " " + operation + " failed: " + cause, false, cause);
    }

    private static boolean retriable(Throwable t) {
        return t instanceof ToolException e && e.retriable()
                && !(t instanceof RemoteCallException r && r.kind() == RemoteCallException.Kind.REJECTED_LOCALLY);
    }
}
