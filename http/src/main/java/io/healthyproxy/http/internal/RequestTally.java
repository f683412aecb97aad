package io.healthyproxy.http.internal;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Requests answered, by source and status, and their latencies in histogram buckets: kept per thread and
 * summed when the metrics are scraped. Each event loop writes its own shard with single-writer ordered
 * stores, so the request path does no atomic read-modify-write and two loops never write the same cache
 * line. (The Prometheus client's own counter and histogram, a LongAdder and a CAS per update, were 4% of
 * the proxy's CPU in profiles.) A scrape may miss the updates of the last microseconds; it never sees a
 * count go down.
 */
final class RequestTally {

    /** Where a response came from. */
    static final int BACKEND = 0;
    static final int PROXY = 1;
    /** Statuses 0–599; anything else is counted as 0. */
    static final int STATUSES = 600;
    /** Upper bounds of the latency buckets, in seconds; a last bucket takes the rest. */
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private static final long[] BOUND_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    private final List<Shard> shards = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<Shard> mine = new FastThreadLocal<>() {
        @Override
        protected Shard initialValue() {
            Shard shard = new Shard();
            shards.add(shard);
            return shard;
        }
    };

    /** Counts one answer; {@code latencyNanos} below 0 leaves the histogram alone (nothing was proxied). */
    void record(int source, int status, long latencyNanos) {
        Shard shard = mine.get();
        int code = status >= 0 && status < STATUSES ? status : 0;
        Shard.increment(shard.answers, source * STATUSES + code, 1);
        if (latencyNanos >= 0) {
            int bucket = 0;
            while (bucket < BOUND_NANOS.length && latencyNanos > BOUND_NANOS[bucket]) {
                bucket++;
            }
            Shard.increment(shard.latency, bucket, 1);
            Shard.increment(shard.latency, BOUNDS.length + 1, latencyNanos);
        }
    }

    /** Answers from {@code source} with {@code status}, over every thread. */
    long answers(int source, int status) {
        long sum = 0;
        for (Shard shard : shards) {
            sum += shard.answers.get(source * STATUSES + status);
        }
        return sum;
    }

    /** Latencies per bucket (not cumulative; the last is beyond every bound), over every thread. */
    long[] latencyBuckets() {
        long[] counts = new long[BOUNDS.length + 1];
        for (Shard shard : shards) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += shard.latency.get(i);
            }
        }
        return counts;
    }

    /** The sum of every latency recorded, in seconds. */
    double latencySumSeconds() {
        long nanos = 0;
        for (Shard shard : shards) {
            nanos += shard.latency.get(BOUNDS.length + 1);
        }
        return nanos / 1e9;
    }

    /** One thread's counts; only that thread writes them. */
    private static final class Shard {
        final AtomicLongArray answers = new AtomicLongArray(2 * STATUSES);
        /** Bucket counts, then the sum of latencies in nanoseconds. */
        final AtomicLongArray latency = new AtomicLongArray(BOUNDS.length + 2);

        /** A plain add made visible with an ordered store: correct because only the owning thread writes. */
        static void increment(AtomicLongArray array, int index, long by) {
            array.lazySet(index, array.get(index) + by);
        }
    }
}
