package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.ManualTicker;
import io.healthyproxy.http.config.Hedging;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HedgeDelayTest {

    private final ManualTicker ticker = new ManualTicker();
    private final RecentLatencies latencies = new RecentLatencies(Duration.ofSeconds(10), ticker);

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void withTooFewSamplesItWaitsHalfThePerTryTimeoutButAtMost100ms() {
        assertThat(new HedgeDelay(Hedging.DEFAULTS, latencies, Duration.ofSeconds(1), ticker).delayNanos()).isEqualTo(ms(100));
        assertThat(new HedgeDelay(Hedging.DEFAULTS, latencies, Duration.ofMillis(120), ticker).delayNanos()).isEqualTo(ms(60));
    }

    @Test
    void followsThe99thPercentileOfRecentAnswers() {
        HedgeDelay delay = new HedgeDelay(Hedging.DEFAULTS, latencies, Duration.ofSeconds(1), ticker);
        for (int i = 0; i < 1000; i++) {
            delay.record(i < 985 ? ms(40) : ms(300));
        }

        assertThat(delay.delayNanos()).isBetween(ms(280), ms(330));
    }

    @Test
    void neverBelowTheMinimumNorBeyondThePerTryTimeout() {
        HedgeDelay fast = new HedgeDelay(Hedging.DEFAULTS, latencies, Duration.ofSeconds(1), ticker);
        for (int i = 0; i < 1000; i++) {
            fast.record(ms(1) / 10);
        }
        assertThat(fast.delayNanos()).isEqualTo(ms(20));

        RecentLatencies slow = new RecentLatencies(Duration.ofSeconds(10), ticker);
        HedgeDelay capped = new HedgeDelay(Hedging.DEFAULTS, slow, Duration.ofMillis(500), ticker);
        for (int i = 0; i < 1000; i++) {
            capped.record(ms(2000));
        }
        assertThat(capped.delayNanos()).isEqualTo(ms(500));
    }

    @Test
    void thePercentileIsRecomputedOnlyEveryRefreshPeriod() {
        HedgeDelay delay = new HedgeDelay(Hedging.DEFAULTS, latencies, Duration.ofSeconds(1), ticker);
        for (int i = 0; i < 1000; i++) {
            delay.record(ms(40));
        }
        long first = delay.delayNanos();
        for (int i = 0; i < 1000; i++) {
            delay.record(ms(400));
        }

        assertThat(delay.delayNanos()).as("cached").isEqualTo(first);
        ticker.advanceNanos(HedgeDelay.REFRESH_NANOS);
        assertThat(delay.delayNanos()).as("refreshed").isGreaterThan(ms(300));
    }

    @Test
    void aFixedDelayWins() {
        Hedging fixed = new Hedging(true, Optional.of(Duration.ofMillis(75)), Duration.ofMillis(20));
        assertThat(new HedgeDelay(fixed, latencies, Duration.ofSeconds(1), ticker).delayNanos()).isEqualTo(ms(75));
    }
}
