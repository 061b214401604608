package dev.forage.tools.compute.procure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * When a round of quote requests stops waiting. Injected so that tests decide when "the deadline
 * has passed" instead of sleeping.
 */
@FunctionalInterface
public interface QuoteDeadline {

    /** A future that completes when {@code after} has passed from now. */
    CompletableFuture<Void> start(Duration after);

    /** Real time: the future completes {@code after} from now. */
    static QuoteDeadline realTime() {
        return after -> CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(after.toNanos(), TimeUnit.NANOSECONDS));
    }
}
