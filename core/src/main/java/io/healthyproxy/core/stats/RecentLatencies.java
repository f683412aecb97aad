package io.healthyproxy.core.stats;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Percentiles of recent latencies: what "slow" means right now, for adaptive hedging.
 *
 * <p>Latencies fall into log-scale buckets (each about 9% wide, from 1 µs to about an hour), counted per
 * time window. A percentile is read over the current window and the one before, so it always rests on at
 * least one full window of samples and forgets anything older than two.
 *
 * <p>Implementation notes: recording is one array increment, no lock and no allocation; the window turns
 * over lazily, by whichever recorder first notices it is due, with one compare-and-set on the pair of
 * windows. A sample recorded during that swap can land in the outgoing window: it is then counted for one
 * window less, which a percentile does not notice. Thread-safe.
 */
public final class RecentLatencies {

    /** Bucket i holds latencies in [MIN·r^i, MIN·r^(i+1)) with r = 2^(1/8). */
    private static final int BUCKETS_PER_DOUBLING = 8;
    private static final int BUCKETS = 32 * BUCKETS_PER_DOUBLING;
    private static final double MIN_NANOS = 1_000;

    private final Ticker ticker;
    private final long windowNanos;
    private final AtomicReference<Windows> windows;

    /**
     * @param window how far back samples count
     * @param ticker the clock that ages them
     */
    public RecentLatencies(Duration window, Ticker ticker) {
        this.windowNanos = Require.positive("window", window).toNanos();
        this.ticker = ticker;
        this.windows = new AtomicReference<>(new Windows(new AtomicLongArray(BUCKETS), new AtomicLongArray(BUCKETS),
                ticker.read()));
    }

    /** @param nanos one latency to record */
    public void record(long nanos) {
        current().current.incrementAndGet(bucketOf(nanos));
    }

    /** Samples in the last one to two windows. */
    public long count() {
        Windows w = current();
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += w.current.get(i) + w.previous.get(i);
        }
        return n;
    }

    /**
     * The latency below which {@code quantile} (e.g. 0.99) of the recent samples fall, rounded up to its
     * bucket's upper edge; zero when there are no samples.
     */
    public long percentileNanos(double quantile) {
        long[] one = percentilesNanos(1, quantile);
        return one == null ? 0 : one[0];
    }

    /**
     * {@link #percentileNanos} of each of {@code quantiles} (ascending) at once, from one reading of the
     * buckets, or null when fewer than {@code minSamples} are recent: what a check of many backends needs,
     * without reading every bucket once per figure or allocating a copy of them.
     */
    public long[] percentilesNanos(long minSamples, double... quantiles) {
        Windows w = current();
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += w.current.get(i) + w.previous.get(i);
        }
        if (total == 0 || total < minSamples) {
            return null;
        }
        long[] result = new long[quantiles.length];
        int q = 0;
        long seen = 0;
        for (int i = 0; i < BUCKETS && q < quantiles.length; i++) {
            // A sample recorded since the total was taken may push 'seen' past it: harmless, a rank is a rank.
            seen += w.current.get(i) + w.previous.get(i);
            while (q < quantiles.length && seen >= (long) Math.ceil(quantiles[q] * total)) {
                result[q++] = upperEdge(i);
            }
        }
        while (q < quantiles.length) {
            result[q++] = upperEdge(BUCKETS - 1);
        }
        return result;
    }

    private Windows current() {
        Windows w = windows.get();
        long now = ticker.read();
        if (now - w.startedAt < windowNanos) {
            return w;
        }
        // Two windows or more have passed without a sample: both are stale.
        AtomicLongArray previous = now - w.startedAt >= 2 * windowNanos ? new AtomicLongArray(BUCKETS) : w.current;
        Windows next = new Windows(new AtomicLongArray(BUCKETS), previous, now);
        return windows.compareAndSet(w, next) ? next : windows.get();
    }

    static int bucketOf(long nanos) {
        if (nanos <= MIN_NANOS) {
            return 0;
        }
        int bucket = (int) (Math.log(nanos / MIN_NANOS) / Math.log(2) * BUCKETS_PER_DOUBLING);
        return Math.min(bucket, BUCKETS - 1);
    }

    static long upperEdge(int bucket) {
        return (long) Math.ceil(MIN_NANOS * Math.pow(2, (bucket + 1) / (double) BUCKETS_PER_DOUBLING));
    }

    private record Windows(AtomicLongArray current, AtomicLongArray previous, long startedAt) {
    }
}
