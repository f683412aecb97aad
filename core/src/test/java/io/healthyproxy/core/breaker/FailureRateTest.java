package io.healthyproxy.core.breaker;

import static io.healthyproxy.core.breaker.CircuitState.CLOSED;
import static io.healthyproxy.core.breaker.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureRateTest {

    private static Breakers withRateTrigger() {
        // 50% over 10 s with at least 10 calls; consecutive failures effectively off.
        return new Breakers(Breakers.exact().failureThreshold(1000)
                .failureRate(FailureRateTrigger.of(0.5, 10, Duration.ofSeconds(10))).build());
    }

    /** One failure in every {@code every} calls, never two in a row. */
    private static void alternate(Breakers b, int calls, int every) {
        for (int i = 0; i < calls; i++) {
            if (i % every == 0) {
                b.fail(1);
            } else {
                b.succeed(1);
            }
        }
    }

    @Test
    void opensWhenHalfTheCallsFailEvenIfNeverTwiceInARow() {
        Breakers b = withRateTrigger();

        alternate(b, 10, 2);

        assertThat(b.breaker.state()).isEqualTo(OPEN);
        assertThat(b.transitions()).containsExactly(Transition.FAILURE_RATE_EXCEEDED);
    }

    @Test
    void staysClosedBelowTheMinimumNumberOfCalls() {
        Breakers b = withRateTrigger();

        b.fail(9);

        assertThat(b.breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void staysClosedBelowTheThreshold() {
        Breakers b = withRateTrigger();

        alternate(b, 100, 3);

        assertThat(b.breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void oldCallsSlideOutOfTheWindow() {
        Breakers b = withRateTrigger();
        b.fail(8);
        b.advance(Duration.ofSeconds(11));

        b.succeed(8);
        b.fail(2);

        assertThat(b.breaker.state()).as("the 8 old failures no longer count").isEqualTo(CLOSED);
    }

    @Test
    void aSuccessThatBringsTheWindowToItsMinimumOpensItWhileTheFailuresAreStillInside() {
        Breakers b = withRateTrigger();
        b.fail(5);
        b.advance(Duration.ofMillis(9_900));        // the failures are near the end of the 10 s window
        b.succeed(4);
        assertThat(b.breaker.state()).as("9 calls: below the minimum").isEqualTo(CLOSED);

        b.succeed(1);

        assertThat(b.breaker.state()).as("10 calls, 5 failed").isEqualTo(OPEN);
        assertThat(b.transitions()).containsExactly(Transition.FAILURE_RATE_EXCEEDED);
    }

    @Test
    void successesLongAfterTheLastFailureNeverOpenIt() {
        Breakers b = withRateTrigger();
        b.fail(9);
        b.advance(Duration.ofSeconds(12));

        b.succeed(1000);

        assertThat(b.breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void closingStartsAFreshWindow() {
        Breakers b = withRateTrigger();
        alternate(b, 10, 2);
        b.halfOpen();
        b.succeed(1);
        assertThat(b.breaker.state()).isEqualTo(CLOSED);

        b.fail(5);

        assertThat(b.breaker.state()).as("five calls are below the minimum of a fresh window").isEqualTo(CLOSED);
    }
}
