package io.healthyproxy.core.retry;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait for an answer before hedging (sending a copy of a repeatable request to another backend):
 * a fixed delay if one is given, else the 99th percentile of recent answer times, so only the slowest 1% of
 * requests are hedged while the backends are healthy, and a frozen backend costs a caller that percentile
 * rather than a timeout. Never below {@code minDelay} (so noise never doubles fast backends' load) and never
 * beyond the per-try timeout. With too few samples to know, half the per-try timeout, at most 100 ms. The HTTP
 * proxy's hedging and the client library's.
 *
 * <p>The percentile is recomputed at most every {@link #REFRESH_NANOS} (a percentile over 512 buckets on
 * every request was the proxy's biggest cost per request, found by profiling); in between, every request
 * reads the cached value. Thread-safe: a stale read costs at most one refresh period.
 */
public final class HedgeDelay {

    /** The adaptive delay's floor unless told otherwise: 20 ms. */
    public static final Duration DEFAULT_MIN_DELAY = Duration.ofMillis(20);
    /** Samples needed before the percentile is trusted: {@value}. */
    public static final int MIN_SAMPLES = 100;
    /** How long a computed delay is reused: 50 ms. */
    public static final long REFRESH_NANOS = 50_000_000L;

    private final Duration fixed;
    private final long minNanos;
    private final long perTryNanos;
    private final RecentLatencies latencies;
    private final Ticker ticker;
    private volatile long cached = -1;
    private volatile long cachedAt;

    /**
     * @param fixed      a fixed delay, or null for the adaptive one
     * @param minDelay   the adaptive delay's floor
     * @param perTry     the per-try timeout: no hedge waits longer
     * @param latencies  where answer times are kept (the caller records into it with {@link #record})
     * @param ticker     the clock
     */
    public HedgeDelay(Duration fixed, Duration minDelay, Duration perTry, RecentLatencies latencies, Ticker ticker) {
        this.fixed = fixed == null ? null : Require.positive("hedging.delay", fixed);
        this.minNanos = Require.positive("hedging.minDelay", minDelay).toNanos();
        this.perTryNanos = Require.positive("perTry", perTry).toNanos();
        this.latencies = Objects.requireNonNull(latencies, "latencies");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * Records how long a backend took to answer.
     *
     * @param nanos the answer time
     */
    public void record(long nanos) {
        latencies.record(nanos);
    }

    /** @return the delay now, in nanoseconds */
    public long delayNanos() {
        long now = ticker.read();
        long value = cached;
        if (value >= 0 && now - cachedAt < REFRESH_NANOS) {
            return value;
        }
        value = compute();
        cachedAt = now;
        cached = value;
        return value;
    }

    private long compute() {
        long delay;
        if (fixed != null) {
            delay = fixed.toNanos();
        } else if (latencies.count() < MIN_SAMPLES) {
            delay = Math.min(perTryNanos / 2, Duration.ofMillis(100).toNanos());
        } else {
            delay = latencies.percentileNanos(0.99);
        }
        return Math.min(Math.max(delay, minNanos), perTryNanos);
    }
}
