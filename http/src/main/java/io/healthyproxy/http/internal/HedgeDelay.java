package io.healthyproxy.http.internal;

import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.http.config.Hedging;
import java.time.Duration;

/**
 * How long to wait for an answer before hedging: a fixed delay if configured, else the 99th percentile of
 * recent answer times (so only the slowest 1% of requests are hedged while backends are healthy), never below
 * {@code minDelay} and never beyond the per-try timeout. With too few samples to know, half the per-try
 * timeout, at most 100 ms.
 *
 * <p>The percentile is recomputed at most every {@link #REFRESH_NANOS} (a percentile over 512 buckets on
 * every request was the proxy's biggest cost per request, found by profiling); in between, every request
 * reads the cached value. Thread-safe: a stale read costs at most one refresh period.
 */
final class HedgeDelay {

    /** Samples needed before the percentile is trusted. */
    static final int MIN_SAMPLES = 100;
    static final long REFRESH_NANOS = 50_000_000L;

    private final Hedging hedging;
    private final RecentLatencies latencies;
    private final long perTryNanos;
    private final io.healthyproxy.core.time.Ticker ticker;
    private volatile long cached = -1;
    private volatile long cachedAt;

    HedgeDelay(Hedging hedging, RecentLatencies latencies, Duration perTry, io.healthyproxy.core.time.Ticker ticker) {
        this.hedging = hedging;
        this.latencies = latencies;
        this.perTryNanos = perTry.toNanos();
        this.ticker = ticker;
    }

    /** Records how long a backend took to answer (response head), for the adaptive delay. */
    void record(long nanos) {
        latencies.record(nanos);
    }

    long delayNanos() {
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
        long min = hedging.minDelay().toNanos();
        long delay;
        if (hedging.delay().isPresent()) {
            delay = hedging.delay().get().toNanos();
        } else if (latencies.count() < MIN_SAMPLES) {
            delay = Math.min(perTryNanos / 2, Duration.ofMillis(100).toNanos());
        } else {
            delay = latencies.percentileNanos(0.99);
        }
        return Math.min(Math.max(delay, min), perTryNanos);
    }
}
