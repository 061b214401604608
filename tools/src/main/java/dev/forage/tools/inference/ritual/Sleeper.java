package dev.forage.tools.inference.ritual;

import java.time.Duration;

/**
 * Waits between polls of a job. Replaceable so that tests advance a fake clock instead of
 * sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for {@code duration}.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(Duration)}: cheap on a virtual thread. */
    static Sleeper system() {
        return Thread::sleep;
    }
}
