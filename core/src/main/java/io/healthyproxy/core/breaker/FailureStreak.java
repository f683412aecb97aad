package io.healthyproxy.core.breaker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The kinds of a breaker's current streak of consecutive failures, counted per kind: what a status page
 * shows as "5 consecutive failures: 3 unreachable, 2 reset". Kept beside the breaker's state rather than in
 * it, so that counting a kind costs no allocation: a kind keeps the slot it first took, for the breaker's
 * life, and recording is a scan of at most {@value #KINDS} references (callers pass constants, so the
 * identity test usually decides) and one atomic increment.
 *
 * <p>The breaker starts a new streak ({@link #restart}) when a failure is the first after a success, and
 * shows the counts only while its own count of consecutive failures is above zero, so a success costs
 * nothing here. The counts are exact for failures reported one at a time; failures racing the first of a
 * streak may be lost from it (the breaker's own count, which decides transitions, is always exact). They are
 * for people, not for decisions.
 */
final class FailureStreak {

    /** Distinct kinds with a slot of their own; further kinds are counted as {@link FailureCount#OTHER_KINDS}. */
    static final int KINDS = 12;

    private final AtomicReferenceArray<String> kinds = new AtomicReferenceArray<>(KINDS);
    /** Index for index with {@link #kinds}; the last one counts the kinds without a slot. */
    private final AtomicIntegerArray counts = new AtomicIntegerArray(KINDS + 1);

    /** Counts one failure of {@code kind} in the current streak. */
    void record(String kind) {
        for (int i = 0; i < KINDS; i++) {
            String k = kinds.get(i);
            if (k == null && kinds.compareAndSet(i, null, kind)) {
                counts.incrementAndGet(i);
                return;
            }
            k = kinds.get(i);
            if (k == kind || k.equals(kind)) {
                counts.incrementAndGet(i);
                return;
            }
        }
        counts.incrementAndGet(KINDS);
    }

    /** Forgets the counts of the last streak: a failure after a success starts a new one. */
    void restart() {
        for (int i = 0; i <= KINDS; i++) {
            counts.set(i, 0);
        }
    }

    /** The current streak's counts, most frequent first (ties in the order the kinds were first seen). */
    List<FailureCount> counts() {
        List<FailureCount> out = new ArrayList<>(4);
        for (int i = 0; i <= KINDS; i++) {
            int n = counts.get(i);
            if (n > 0) {
                out.add(new FailureCount(i == KINDS ? FailureCount.OTHER_KINDS : kinds.get(i), n));
            }
        }
        out.sort(Comparator.comparingInt(FailureCount::count).reversed());
        return List.copyOf(out);
    }
}
