package io.healthyproxy.core.time;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Randomised durations, so that many breakers or health checkers started by the same event do not act in
 * lock-step (a thundering herd of probes, or every proxy re-admitting a backend in the same millisecond).
 *
 * <p>The randomness is always passed in: production code uses {@link #threadLocalRandom()}, tests a seeded
 * generator, so that jittered behaviour is reproducible.
 */
public final class Jitter {

    private Jitter() {
    }

    /** A thread-safe generator backed by {@link ThreadLocalRandom}. */
    public static RandomGenerator threadLocalRandom() {
        return ThreadLocalSource.INSTANCE;
    }

    /** Returns {@code nanos} shortened by a random share of at most {@code fraction}: in {@code [nanos·(1−fraction), nanos]}. */
    public static long shorten(long nanos, double fraction, RandomGenerator random) {
        return nanos - (long) (nanos * fraction * random.nextDouble());
    }

    /** Returns {@code nanos} moved by a random share of at most {@code fraction} either way. */
    public static long spread(long nanos, double fraction, RandomGenerator random) {
        return nanos + (long) (nanos * fraction * (2 * random.nextDouble() - 1));
    }

    /** Returns a uniform random duration in {@code [0, nanos)}; 0 when {@code nanos <= 0}. */
    public static long upTo(long nanos, RandomGenerator random) {
        return nanos <= 0 ? 0 : (long) (nanos * random.nextDouble());
    }

    private enum ThreadLocalSource implements RandomGenerator {
        INSTANCE;

        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }

        @Override
        public double nextDouble() {
            return ThreadLocalRandom.current().nextDouble();
        }

        @Override
        public int nextInt(int bound) {
            return ThreadLocalRandom.current().nextInt(bound);
        }
    }
}
