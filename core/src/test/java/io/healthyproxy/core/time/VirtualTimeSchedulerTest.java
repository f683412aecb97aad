package io.healthyproxy.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualTimeSchedulerTest {

    private final ManualTicker ticker = new ManualTicker(0);
    private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler(ticker);
    private final List<String> ran = new ArrayList<>();

    @Test
    void runsTasksInDeadlineOrderWithTheClockAtEachDeadline() {
        scheduler.schedule(Duration.ofSeconds(2), () -> ran.add("b@" + ticker.read()));
        scheduler.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + ticker.read()));

        scheduler.runFor(Duration.ofSeconds(5));

        assertThat(ran).containsExactly("a@1000000000", "b@2000000000");
        assertThat(ticker.read()).isEqualTo(5_000_000_000L);
    }

    @Test
    void tiesRunInTheOrderTheyWereScheduled() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            scheduler.schedule(Duration.ofMillis(10), () -> ran.add("t" + n));
        }

        scheduler.runFor(Duration.ofMillis(10));

        assertThat(ran).containsExactly("t0", "t1", "t2", "t3", "t4");
    }

    @Test
    void tasksScheduledByTasksRunInTheSameRunWhenDue() {
        scheduler.schedule(Duration.ofMillis(10), () -> {
            ran.add("first");
            scheduler.schedule(Duration.ofMillis(10), () -> ran.add("second@" + ticker.read()));
        });

        scheduler.runFor(Duration.ofMillis(25));

        assertThat(ran).containsExactly("first", "second@20000000");
    }

    @Test
    void cancelledTasksNeverRun() {
        Scheduler.Cancellable task = scheduler.schedule(Duration.ofMillis(10), () -> ran.add("cancelled"));
        task.cancel();

        scheduler.runFor(Duration.ofSeconds(1));

        assertThat(ran).isEmpty();
    }

    @Test
    void tasksBeyondTheDeadlineWait() {
        scheduler.schedule(Duration.ofSeconds(10), () -> ran.add("later"));

        scheduler.runFor(Duration.ofSeconds(9));
        assertThat(ran).isEmpty();

        scheduler.runFor(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("later");
    }
}
