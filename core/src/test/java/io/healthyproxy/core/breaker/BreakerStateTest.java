package io.healthyproxy.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.core.breaker.BreakerState.Closed;
import io.healthyproxy.core.breaker.BreakerState.HalfOpen;
import io.healthyproxy.core.breaker.BreakerState.Open;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A state of another kind can only be built through a transition of the table that leads there. */
class BreakerStateTest {

    private static final Closed CLOSED = BreakerState.initial(0, null);
    private static final Open OPEN = CLOSED.open(Transition.FAILURE_THRESHOLD_REACHED, 5, 0, 100, 100);
    private static final HalfOpen HALF_OPEN = OPEN.halfOpen(Transition.OPEN_DURATION_ELAPSED);

    @ParameterizedTest
    @EnumSource(Transition.class)
    void eachMoveIsBuiltOnlyByTheTransitionsThatLeadThatWay(Transition t) {
        expect(t, CircuitState.CLOSED, CircuitState.OPEN, why -> CLOSED.open(why, 5, 0, 100, 100));
        expect(t, CircuitState.OPEN, CircuitState.HALF_OPEN, OPEN::halfOpen);
        expect(t, CircuitState.HALF_OPEN, CircuitState.CLOSED, why -> HALF_OPEN.close(why, 0, null));
        expect(t, CircuitState.HALF_OPEN, CircuitState.OPEN, why -> HALF_OPEN.reopen(why, 6, 1, 200, 200));
    }

    @ParameterizedTest
    @EnumSource(Transition.class)
    void aStateKnowsTheTransitionThatBuiltItAndNumbersItsEpoch(Transition t) {
        BreakerState from = switch (t.from()) {
            case CLOSED -> CLOSED;
            case OPEN -> OPEN;
            case HALF_OPEN -> HALF_OPEN;
        };
        BreakerState next = switch (t.to()) {
            case OPEN -> from instanceof Closed c ? c.open(t, 5, 0, 100, 100) : ((HalfOpen) from).reopen(t, 6, 1, 200, 200);
            case HALF_OPEN -> ((Open) from).halfOpen(t);
            case CLOSED -> ((HalfOpen) from).close(t, 0, null);
        };

        assertThat(next.cause()).isEqualTo(t);
        assertThat(next.state()).isEqualTo(t.to());
        assertThat(next.epoch()).isEqualTo(from.epoch() + 1);
    }

    private static void expect(Transition t, CircuitState from, CircuitState to,
            Function<Transition, BreakerState> move) {
        if (t.from() == from && t.to() == to) {
            assertThat(move.apply(t).cause()).isEqualTo(t);
        } else {
            assertThatThrownBy(() -> move.apply(t)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(from + " → " + to);
        }
    }
}
