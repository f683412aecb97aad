package io.healthyproxy.core.time;

/**
 * A source of monotonic time in nanoseconds: the only clock the core reads.
 *
 * <p>Values are meaningful only relative to each other (compare with {@code a - b < 0}, never
 * {@code a < b}, so that wrap-around cannot bite). Production code uses {@link #system()}; tests and the
 * simulator use a {@link ManualTicker} that only moves when told to, so nothing in a unit test ever sleeps.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {

    /** Returns the current reading in nanoseconds. */
    long read();

    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
