package io.healthyproxy.core.retry;

import io.healthyproxy.core.internal.Require;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caps retries so that a bad day never becomes a retry storm: at most
 * {@code max(minConcurrent, ratio × requests in flight)} retries (and hedges) may be in flight at once, as in
 * Envoy's retry budget. A budget scales with load instead of a fixed count, and the minimum keeps retries
 * possible when traffic is light.
 *
 * <pre>{@code
 * budget.requestStarted();
 * try {
 *     ... first attempt failed ...
 *     if (budget.tryStartRetry()) {
 *         try { retry(); } finally { budget.retryFinished(); }
 *     }
 * } finally {
 *     budget.requestFinished();
 * }
 * }</pre>
 *
 * <p>Thread-safe and lock-free.
 */
public final class RetryBudget {

    /** Retries may be up to this share of the requests in flight (default {@value}). */
    public static final double DEFAULT_RATIO = 0.2;
    /**
     * Retries allowed in flight however few requests there are (default {@value}): enough to absorb the burst
     * of resets when a backend dies with requests on it (Envoy's minimum of 3 is not, under a stall).
     */
    public static final int DEFAULT_MIN_CONCURRENT = 10;

    private final double ratio;
    private final int minConcurrent;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final LongAdder exhausted = new LongAdder();

    /**
     * @param ratio         retries allowed in flight, as a fraction of requests in flight
     * @param minConcurrent retries always allowed in flight, however few requests there are
     */
    public RetryBudget(double ratio, int minConcurrent) {
        this.ratio = Require.inRange("retryBudget.ratio", ratio, 0.0, 10.0);
        this.minConcurrent = Require.inRange("retryBudget.minConcurrent", minConcurrent, 0, 1_000_000);
    }

    /** @return {@link #DEFAULT_RATIO} of requests in flight, at least {@link #DEFAULT_MIN_CONCURRENT} */
    public static RetryBudget defaults() {
        return new RetryBudget(DEFAULT_RATIO, DEFAULT_MIN_CONCURRENT);
    }

    /** A request began: it counts towards the ratio until {@link #requestFinished}. */
    public void requestStarted() {
        requests.incrementAndGet();
    }

    /** A request counted by {@link #requestStarted} ended. */
    public void requestFinished() {
        requests.decrementAndGet();
    }

    /**
     * Takes a place for one retry if the budget has one; the caller must {@link #retryFinished()} it.
     * Returns false, and counts it as exhausted, when it has none.
     */
    public boolean tryStartRetry() {
        while (true) {
            int current = retries.get();
            if (current >= limit()) {
                exhausted.increment();
                return false;
            }
            if (retries.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** A retry admitted by {@link #tryStartRetry} ended: its place is free. */
    public void retryFinished() {
        retries.decrementAndGet();
    }

    /** Retries in flight now. */
    public int retriesInFlight() {
        return retries.get();
    }

    /** How often a retry was refused for lack of budget. */
    public long exhaustedCount() {
        return exhausted.sum();
    }

    private int limit() {
        return Math.max(minConcurrent, (int) (ratio * requests.get()));
    }
}
