package io.healthyproxy.core.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when {@link #advance advanced}: the fake clock of every unit test and of
 * the simulator. Thread-safe.
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * CircuitBreaker breaker = new CircuitBreaker("b1", CircuitBreakerConfig.defaults(), ticker, new SplittableRandom(42));
 * ticker.advance(CircuitBreakerConfig.DEFAULT_OPEN_DURATION);   // the open duration passes, instantly
 * }</pre>
 */
public final class ManualTicker implements Ticker {

    private final AtomicLong nanos;

    /** Starts at an arbitrary non-zero reading, so that code assuming "time starts at 0" is caught. */
    public ManualTicker() {
        this(1_000_000_000L);
    }

    /** @param startNanos the reading before any advance */
    public ManualTicker(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long read() {
        return nanos.get();
    }

    /** Moves time forward; time never goes backwards. */
    public void advance(Duration duration) {
        advanceNanos(duration.toNanos());
    }

    /** @param delta nanoseconds to move the clock forward; never negative */
    public void advanceNanos(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("delta: " + delta + " (expected: >= 0)");
        }
        nanos.addAndGet(delta);
    }

    /** Sets the reading to {@code target}, which must not be earlier than the current reading. */
    public void advanceTo(long target) {
        long now = nanos.get();
        if (target - now < 0) {
            throw new IllegalArgumentException("target: " + target + " (expected: >= " + now + ")");
        }
        nanos.set(target);
    }
}
