package io.healthyproxy.core.breaker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Successes and failures over a sliding time window, for {@link FailureRateTrigger}.
 *
 * <p>Implementation notes: the window is a ring of buckets, each a single {@code long} packing
 * {@code [bucket number : 22 | successes : 21 | failures : 21]}, updated by compare-and-set. A record is one
 * CAS on one word: no lock and no allocation on the hot path, and a bucket's counts and the time slice they
 * belong to can never be torn apart. A bucket whose number is out of date is simply restarted by the next
 * record that lands in it; a bucket is counted only while its number is within the window. Counts saturate
 * at 2^21−1 per bucket (2 million calls per bucket width), which skews the rate only beyond that volume.
 * Checking the rate scans every bucket, so it is skipped while no failure can be in the window (the time
 * of the latest one is kept): a healthy backend's successes cost one CAS and one read.
 * An empty bucket is the word 0. Bucket numbers are kept modulo 2^22, so a bucket untouched for exactly 4 million widths could be
 * mistaken for a current one: with 1 s buckets, that needs 48 days without a single call into that slot.
 */
final class FailureRateWindow {

    private static final int COUNT_BITS = 21;
    private static final long COUNT_MAX = (1L << COUNT_BITS) - 1;
    private static final int TAG_BITS = 22;
    private static final long TAG_MASK = (1L << TAG_BITS) - 1;

    private final AtomicLongArray buckets;
    private final long bucketNanos;
    private final int bucketCount;
    /** How long after a failure it may still be counted: the window, plus the part of a bucket it spans. */
    private final long failureVisibleNanos;
    /** The time of the latest failure recorded, or one too long ago to count. */
    private final AtomicLong lastFailure;

    /** A window with no calls in it, at {@code now}. */
    FailureRateWindow(FailureRateTrigger trigger, long now) {
        this.bucketCount = trigger.buckets();
        this.bucketNanos = trigger.window().toNanos() / bucketCount;
        this.buckets = new AtomicLongArray(bucketCount);
        this.failureVisibleNanos = bucketNanos * (bucketCount + 1L);
        this.lastFailure = new AtomicLong(now - failureVisibleNanos);
    }

    void record(long now, boolean failure) {
        if (failure) {
            // The latest, whatever the order the recording threads get here in (compared as the ticker
            // must be: by difference).
            lastFailure.accumulateAndGet(now, (seen, t) -> t - seen > 0 ? t : seen);
        }
        long number = Math.floorDiv(now, bucketNanos);
        int index = (int) Math.floorMod(number, (long) bucketCount);
        long tag = number & TAG_MASK;
        while (true) {
            long current = buckets.get(index);
            long currentTag = current >>> (2 * COUNT_BITS);
            long next;
            if (currentTag == tag) {
                long successes = (current >>> COUNT_BITS) & COUNT_MAX;
                long failures = current & COUNT_MAX;
                next = failure ? pack(tag, successes, Math.min(failures + 1, COUNT_MAX))
                        : pack(tag, Math.min(successes + 1, COUNT_MAX), failures);
            } else if (current != 0 && ((currentTag - tag) & TAG_MASK) < (1L << (TAG_BITS - 1))) {
                // The slot already holds a newer time slice: this sample is older than the window. Drop it.
                return;
            } else {
                next = failure ? pack(tag, 0, 1) : pack(tag, 1, 0);
            }
            if (next == current || buckets.compareAndSet(index, current, next)) {
                return;
            }
        }
    }

    /** Whether the window holds at least {@code minimumCalls} calls of which at least {@code threshold} failed. */
    boolean exceeds(long now, double threshold, int minimumCalls) {
        if (now - lastFailure.get() >= failureVisibleNanos) {
            return false;               // no failure in the window: the common case costs no scan
        }
        long currentTag = Math.floorDiv(now, bucketNanos) & TAG_MASK;
        long successes = 0;
        long failures = 0;
        for (int i = 0; i < bucketCount; i++) {
            long bucket = buckets.get(i);
            long age = (currentTag - (bucket >>> (2 * COUNT_BITS))) & TAG_MASK;
            if (age < bucketCount) {
                successes += (bucket >>> COUNT_BITS) & COUNT_MAX;
                failures += bucket & COUNT_MAX;
            }
        }
        long total = successes + failures;
        return total >= minimumCalls && failures >= threshold * total;
    }

    private static long pack(long tag, long successes, long failures) {
        return (tag << (2 * COUNT_BITS)) | (successes << COUNT_BITS) | failures;
    }
}
