package dev.forage.policies.testing;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;
import org.junit.jupiter.api.function.Executable;

/**
 * Seeds for property tests: plain JUnit 5 {@code @ParameterizedTest}s over
 * {@code @MethodSource}s of seeds, each case drawing its input from {@link #random(long)}.
 * The seeds are the same on every run (a {@code *Test} is deterministic);
 * {@code -Dforage.cases.multiplier=N} runs N times as many cases (the first ones unchanged) and
 * {@code -Dforage.cases.seed=S} runs only case S, to replay the seed a failure names.
 */
public final class Cases {

    /** The system property that multiplies every property's number of cases (default 1). */
    public static final String MULTIPLIER = "forage.cases.multiplier";
    /** The system property naming the one seed to run, to replay a failure. */
    public static final String SEED = "forage.cases.seed";

    private static final long FIRST = 0x466f72616765L; // "Forage": where the seed sequence starts

    private Cases() {}

    /** The seeds of a property that checks {@code base} cases at multiplier 1. */
    public static LongStream seeds(int base) {
        String replay = System.getProperty(SEED, "").trim();
        if (!replay.isEmpty()) {
            try {
                return LongStream.of(Long.decode(replay));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SEED + " must be a seed as a failure printed it (a long), got '" + replay + "'", e);
            }
        }
        String text = System.getProperty(MULTIPLIER, "1").trim();
        int multiplier;
        try {
            multiplier = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            multiplier = 0;
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException(MULTIPLIER + " must be a whole number of at least 1, got '" + text + "'");
        }
        return new SplittableRandom(FIRST).longs((long) base * multiplier);
    }

    /** The generator a case draws its input from. */
    public static RandomGenerator random(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    /**
     * Runs one case; a failure is rethrown naming the seed, how to replay it, and the input
     * ({@code input} is asked for only then, so it may describe what the case did so far).
     */
    public static void check(long seed, Supplier<?> input, Executable body) {
        try {
            body.execute();
        } catch (Throwable failure) {
            if (failure instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            throw new AssertionError("property failed for seed " + seed + " (replay it with -D" + SEED + "=" + seed
                    + ") on input " + input.get() + ": " + failure, failure);
        }
    }

    /** {@link #check(long, Supplier, Executable)} for an input known up front. */
    public static void check(long seed, Object input, Executable body) {
        check(seed, () -> input, body);
    }
}
