package io.healthyproxy.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Drives a breaker on a {@link ManualTicker} into each state, and records its transitions. */
final class Breakers {

    final ManualTicker ticker = new ManualTicker();
    final List<TransitionEvent> events = new ArrayList<>();
    final CircuitBreaker breaker;

    Breakers(CircuitBreakerConfig config) {
        this(config, 42);
    }

    Breakers(CircuitBreakerConfig config, long seed) {
        breaker = new CircuitBreaker("b1", config, ticker, new SplittableRandom(seed));
        breaker.addListener(events::add);
    }

    /** The seed's defaults, but without jitter, so that durations are exact. */
    static CircuitBreakerConfig.Builder exact() {
        return CircuitBreakerConfig.builder().openJitter(0);
    }

    void fail(int times) {
        for (int i = 0; i < times; i++) {
            long permit = breaker.tryAcquire();
            assertThat(permit).as("permit for failure %d", i).isNotEqualTo(CircuitBreaker.DENIED);
            breaker.onFailure(permit);
        }
    }

    void succeed(int times) {
        for (int i = 0; i < times; i++) {
            long permit = breaker.tryAcquire();
            assertThat(permit).isNotEqualTo(CircuitBreaker.DENIED);
            breaker.onSuccess(permit);
        }
    }

    /** From CLOSED, fails until the circuit opens. */
    Breakers open() {
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        fail(breaker.config().failureThreshold());
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        return this;
    }

    /** From OPEN, lets the current open duration pass. */
    Breakers halfOpen() {
        if (breaker.state() == CircuitState.CLOSED) {
            open();
        }
        ticker.advance(breaker.snapshot().openRemaining());
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        return this;
    }

    /** Opens, then lets trials succeed until the circuit closes again. */
    Breakers reclosed() {
        halfOpen();
        succeed(breaker.config().successThreshold());
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        return this;
    }

    Breakers in(CircuitState state) {
        switch (state) {
            case CLOSED -> assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            case OPEN -> open();
            case HALF_OPEN -> halfOpen();
        }
        return this;
    }

    void advance(Duration d) {
        ticker.advance(d);
    }

    List<Transition> transitions() {
        return events.stream().map(TransitionEvent::transition).toList();
    }
}
