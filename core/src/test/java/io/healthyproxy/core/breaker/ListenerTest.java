package io.healthyproxy.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerTest {

    @Test
    void listenersHearEveryTransitionOnceInOrder() {
        Breakers b = new Breakers(Breakers.exact().build());

        b.halfOpen();
        b.breaker.onFailure(b.breaker.tryAcquire());
        b.halfOpen();
        b.succeed(1);

        assertThat(b.transitions()).containsExactly(
                Transition.FAILURE_THRESHOLD_REACHED, Transition.OPEN_DURATION_ELAPSED, Transition.TRIAL_FAILED,
                Transition.OPEN_DURATION_ELAPSED, Transition.TRIALS_SUCCEEDED);
        assertThat(b.events).extracting(TransitionEvent::breaker).containsOnly("b1");
        assertThat(b.events).extracting(TransitionEvent::timesOpened).containsExactly(1L, 1L, 2L, 2L, 2L);
    }

    @Test
    void aThrowingListenerCannotStopTheTransitionNorTheOtherListeners() {
        Breakers b = new Breakers(Breakers.exact().build());
        List<Transition> heardAfter = new ArrayList<>();
        b.breaker.addListener(e -> {
            throw new IllegalStateException("listener bug");
        });
        b.breaker.addListener(e -> heardAfter.add(e.transition()));

        b.open();

        assertThat(b.breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(heardAfter).containsExactly(Transition.FAILURE_THRESHOLD_REACHED);
    }

    @Test
    void removedListenerHearsNothingMore() {
        Breakers b = new Breakers(Breakers.exact().build());
        List<TransitionEvent> heard = new ArrayList<>();
        CircuitBreakerListener listener = heard::add;
        b.breaker.addListener(listener);
        b.breaker.removeListener(listener);

        b.open();

        assertThat(heard).isEmpty();
    }

    @Test
    void eventsAreDatedWhenTheTransitionBecameDue() {
        Breakers b = new Breakers(Breakers.exact().build()).open();
        long openedAt = b.events.get(0).atNanos();

        b.advance(java.time.Duration.ofMinutes(10));
        b.breaker.state();

        assertThat(b.events.get(1).atNanos() - openedAt).isEqualTo(30_000_000_000L);
    }
}
