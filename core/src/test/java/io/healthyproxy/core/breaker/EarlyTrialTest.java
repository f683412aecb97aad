package io.healthyproxy.core.breaker;

import static io.healthyproxy.core.breaker.CircuitBreaker.DENIED;
import static io.healthyproxy.core.breaker.CircuitState.CLOSED;
import static io.healthyproxy.core.breaker.CircuitState.HALF_OPEN;
import static io.healthyproxy.core.breaker.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The two ways a circuit goes half-open before its open duration is over: active health checks saw the
 * backend come back, or no other backend admits traffic (the last resort). Either way a real call is the
 * trial; nothing closes the circuit but trials that succeed.
 */
class EarlyTrialTest {

    @Test
    void aRecoverySeenByHealthChecksEndsTheOpenPeriodButATrialStillDecides() {
        Breakers b = new Breakers(Breakers.exact().build()).open();
        b.advance(Duration.ofSeconds(1));

        assertThat(b.breaker.onHealthRecovered()).isTrue();

        assertThat(b.breaker.state()).isEqualTo(HALF_OPEN);
        assertThat(b.transitions()).endsWith(Transition.HEALTH_RECOVERED);
        long trial = b.breaker.tryAcquire();
        assertThat(CircuitBreaker.isTrial(trial)).isTrue();
        assertThat(b.breaker.tryAcquire()).as("still exactly one trial").isEqualTo(DENIED);
        b.breaker.onSuccess(trial);
        assertThat(b.breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void aRecoveryOutsideTheOpenStateChangesNothing() {
        Breakers closed = new Breakers(Breakers.exact().build());
        Breakers halfOpen = new Breakers(Breakers.exact().build()).halfOpen();

        assertThat(closed.breaker.onHealthRecovered()).isFalse();
        assertThat(halfOpen.breaker.onHealthRecovered()).isFalse();

        assertThat(closed.breaker.state()).isEqualTo(CLOSED);
        assertThat(halfOpen.breaker.state()).isEqualTo(HALF_OPEN);
        assertThat(closed.events).isEmpty();
        assertThat(halfOpen.transitions()).doesNotContain(Transition.HEALTH_RECOVERED);
    }

    @Test
    void aFailedTrialAfterAHealthRecoveryBacksOffAsUsual() {
        Breakers b = new Breakers(Breakers.exact().build()).open();
        b.breaker.onHealthRecovered();

        b.breaker.onFailure(b.breaker.tryAcquire());

        assertThat(b.breaker.state()).isEqualTo(OPEN);
        assertThat(b.events.get(b.events.size() - 1).openDuration()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theLastResortMakesTheCallATrialOfAnOpenCircuit() {
        Breakers b = new Breakers(Breakers.exact().build()).open();

        long permit = b.breaker.tryAcquireAsLastResort();

        assertThat(CircuitBreaker.isTrial(permit)).isTrue();
        assertThat(b.transitions()).endsWith(Transition.NO_OTHER_BACKEND);
        assertThat(b.breaker.tryAcquireAsLastResort()).as("one call at a time").isEqualTo(DENIED);
        b.breaker.onSuccess(permit);
        assertThat(b.breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void aFailedLastResortTrialReopensForAsLongAsLastTimeWithoutGrowingTheBackoff() {
        Breakers b = new Breakers(Breakers.exact().build()).open();
        for (int i = 0; i < 5; i++) {
            b.breaker.onFailure(b.breaker.tryAcquireAsLastResort());
            assertThat(b.breaker.state()).isEqualTo(OPEN);
        }

        assertThat(b.events.stream().filter(e -> e.to() == OPEN).map(TransitionEvent::openDuration))
                .containsOnly(Duration.ofSeconds(30));
        // An ordinary failed trial after that still backs off from where the streak stood.
        b.halfOpen();
        b.breaker.onFailure(b.breaker.tryAcquire());
        assertThat(b.events.get(b.events.size() - 1).openDuration()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theLastResortOfAClosedCircuitIsAnOrdinaryPermit() {
        Breakers b = new Breakers(Breakers.exact().build());

        long permit = b.breaker.tryAcquireAsLastResort();

        assertThat(permit).isNotEqualTo(DENIED);
        assertThat(CircuitBreaker.isTrial(permit)).isFalse();
        assertThat(b.events).isEmpty();
    }
}
