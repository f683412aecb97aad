package io.healthyproxy.core.breaker;

import static io.healthyproxy.core.breaker.CircuitState.CLOSED;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

    /** Opens the circuit, then fails one trial after another, and returns the open durations seen. */
    private static List<Duration> openDurationsOverFailedTrials(Breakers b, int reopenings) {
        b.open();
        for (int i = 0; i < reopenings; i++) {
            b.halfOpen();
            b.breaker.onFailure(b.breaker.tryAcquire());
        }
        return b.events.stream().filter(e -> e.to() == CircuitState.OPEN).map(TransitionEvent::openDuration).toList();
    }

    @Test
    void eachReopeningDoublesTheOpenDurationUpToTheCap() {
        Breakers b = new Breakers(Breakers.exact().maxOpenDuration(Duration.ofMinutes(5)).build());

        assertThat(openDurationsOverFailedTrials(b, 5)).containsExactly(
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(240),
                Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    @Test
    void multiplierOfOneKeepsTheOpenDurationConstant() {
        Breakers b = new Breakers(Breakers.exact().backoffMultiplier(1).build());

        assertThat(openDurationsOverFailedTrials(b, 3)).containsOnly(Duration.ofSeconds(30));
    }

    @Test
    void reopeningSoonAfterClosingKeepsGrowingTheDuration() {
        Breakers b = new Breakers(Breakers.exact().build());
        b.reclosed();
        b.advance(Duration.ofSeconds(10));

        b.open();

        assertThat(b.events.get(b.events.size() - 1).openDuration()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aHealthyStretchResetsTheBackoff() {
        Breakers b = new Breakers(Breakers.exact().backoffResetAfter(Duration.ofSeconds(60)).build());
        openDurationsOverFailedTrials(b, 3);
        b.halfOpen();
        b.succeed(1);
        assertThat(b.breaker.state()).isEqualTo(CLOSED);

        b.advance(Duration.ofSeconds(60));
        b.open();

        assertThat(b.events.get(b.events.size() - 1).openDuration()).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void jitterOnlyShortensAndStaysWithinItsShare(long seed) {
        Breakers b = new Breakers(CircuitBreakerConfig.builder().openJitter(0.2).build(), seed);
        List<Duration> durations = openDurationsOverFailedTrials(b, 6);
        long[] nominalSeconds = {30, 60, 120, 240, 300, 300, 300};

        for (int i = 0; i < durations.size(); i++) {
            Duration nominal = Duration.ofSeconds(nominalSeconds[i]);
            assertThat(durations.get(i)).isBetween(nominal.multipliedBy(8).dividedBy(10), nominal);
        }
    }

    @Test
    void jitterReachesBothEndsOfItsRange() {
        CircuitBreakerConfig config = CircuitBreakerConfig.builder().openJitter(0.5).build();
        RandomGenerator lowest = () -> 0L;          // nextDouble() == 0: no shortening
        RandomGenerator highest = () -> -1L;        // nextDouble() just under 1: the most shortening

        assertThat(firstOpenDuration(config, lowest)).isEqualTo(Duration.ofSeconds(30));
        assertThat(firstOpenDuration(config, highest)).isBetween(Duration.ofSeconds(15), Duration.ofMillis(15_001));
    }

    @Test
    void jitterSpreadsBreakersOpenedByTheSameOutage() {
        List<Duration> durations = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            Breakers b = new Breakers(CircuitBreakerConfig.defaults(), seed);
            b.open();
            durations.add(b.events.get(0).openDuration());
        }

        assertThat(durations).doesNotHaveDuplicates();
    }

    private static Duration firstOpenDuration(CircuitBreakerConfig config, RandomGenerator random) {
        CircuitBreaker breaker = new CircuitBreaker("b", config, new ManualTicker(), random);
        for (int i = 0; i < config.failureThreshold(); i++) {
            breaker.onFailure(breaker.tryAcquire());
        }
        return breaker.snapshot().lastOpenDuration();
    }
}
