package io.healthyproxy.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {

    private static final long MS = 1_000_000L;

    private final ManualTicker ticker = new ManualTicker(0);
    private final VirtualTimeScheduler virtualTime = new VirtualTimeScheduler(ticker);
    private final List<Long> wakes = new ArrayList<>();
    private int scheduled;
    private final Scheduler counting = (delay, task) -> {
        scheduled++;
        return virtualTime.schedule(delay, task);
    };
    private final DeadlineTimer timer = new DeadlineTimer(counting, ticker, () -> wakes.add(ticker.read()));

    @Test
    void wakesAtTheEarliestDeadlineAskedFor() {
        timer.wakeBy(50 * MS);
        timer.wakeBy(20 * MS);
        timer.wakeBy(80 * MS);

        virtualTime.runUntil(100 * MS);

        assertThat(wakes).containsExactly(20 * MS);
    }

    @Test
    void aLaterDeadlineThanThePendingOneSchedulesNothing() {
        timer.wakeBy(10 * MS);
        for (int i = 0; i < 1000; i++) {
            timer.wakeBy((11 + i) * MS);
        }

        assertThat(scheduled).isEqualTo(1);
        assertThat(timer.isArmed()).isTrue();
    }

    @Test
    void anEarlierDeadlineReplacesThePendingWakeUp() {
        timer.wakeBy(50 * MS);
        timer.wakeBy(5 * MS);

        virtualTime.runUntil(100 * MS);

        assertThat(scheduled).isEqualTo(2);
        assertThat(wakes).containsExactly(5 * MS);      // the cancelled 50 ms wake-up never runs
    }

    @Test
    void theOwnerAsksAgainForWhatRemainsAfterAWakeUp() {
        long[] remaining = {30 * MS, 70 * MS};
        List<Long> seen = new ArrayList<>();
        DeadlineTimer[] self = new DeadlineTimer[1];
        self[0] = new DeadlineTimer(virtualTime, ticker, () -> {
            long now = ticker.read();
            seen.add(now);
            for (long deadline : remaining) {
                if (deadline - now > 0) {
                    self[0].wakeBy(deadline);
                    return;
                }
            }
        });
        self[0].wakeBy(remaining[0]);

        virtualTime.runUntil(200 * MS);

        assertThat(seen).containsExactly(30 * MS, 70 * MS);
        assertThat(self[0].isArmed()).isFalse();
    }

    @Test
    void aDeadlineAlreadyPassedWakesAtOnce() {
        ticker.advanceTo(100 * MS);
        timer.wakeBy(40 * MS);

        virtualTime.runUntil(100 * MS);

        assertThat(wakes).containsExactly(100 * MS);
    }

    @Test
    void aStoppedTimerNeverWakesAgain() {
        timer.wakeBy(10 * MS);
        timer.stop();
        timer.wakeBy(20 * MS);

        virtualTime.runUntil(100 * MS);

        assertThat(wakes).isEmpty();
        assertThat(timer.isArmed()).isFalse();
    }
}
