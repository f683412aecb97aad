package io.healthyproxy.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class FailureStreakTest {

    @Test
    void countsEachKindMostFrequentFirst() {
        FailureStreak streak = new FailureStreak();
        streak.record("reset");
        streak.record("unreachable");
        streak.record("unreachable");

        assertThat(streak.counts()).containsExactly(new FailureCount("unreachable", 2), new FailureCount("reset", 1));
    }

    @Test
    void aKindSpeltAlikeButNotTheSameStringIsTheSameKind() {
        FailureStreak streak = new FailureStreak();
        streak.record("reset");
        streak.record(new String("reset"));

        assertThat(streak.counts()).containsExactly(new FailureCount("reset", 2));
    }

    @Test
    void restartingForgetsTheCountsButKeepsTheSlots() {
        FailureStreak streak = new FailureStreak();
        streak.record("reset");

        streak.restart();
        streak.record("stalled");

        assertThat(streak.counts()).containsExactly(new FailureCount("stalled", 1));
    }

    @Test
    void recordingAKindAllocatesNothing() {
        var threads = ManagementFactory.getThreadMXBean();
        assumeThat(threads).isInstanceOf(com.sun.management.ThreadMXBean.class);
        var allocations = (com.sun.management.ThreadMXBean) threads;
        assumeThat(allocations.isThreadAllocatedMemorySupported()).isTrue();
        FailureStreak streak = new FailureStreak();
        String[] kinds = {"a", "b", "c"};
        streak.record("a");                         // slots taken once, as the kinds first occur
        streak.record("b");
        streak.record("c");
        long thread = Thread.currentThread().getId();

        long before = allocations.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            streak.record(kinds[i % 3]);
        }
        long allocated = allocations.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated).as("bytes for 100,000 records (the measurement's own few excepted)").isLessThan(1_000);
    }
}
