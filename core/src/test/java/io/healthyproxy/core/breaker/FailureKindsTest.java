package io.healthyproxy.core.breaker;

import static io.healthyproxy.core.breaker.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a breaker says about why it is in its state: the kinds of its failure streak and its last transition. */
class FailureKindsTest {

    private static final String UNREACHABLE = "backend_unreachable";
    private static final String RESET = "backend_reset";

    @Test
    void anOpeningTellsTheKindsOfTheFailuresThatCausedIt() {
        Breakers b = new Breakers(Breakers.exact().build());

        fail(b, UNREACHABLE, 3);
        fail(b, RESET, 2);

        CircuitSnapshot snapshot = b.breaker.snapshot();
        assertThat(snapshot.state()).isEqualTo(OPEN);
        assertThat(snapshot.failureKinds()).containsExactly(new FailureCount(UNREACHABLE, 3), new FailureCount(RESET, 2));
        assertThat(snapshot.lastTransition()).isEqualTo(Transition.FAILURE_THRESHOLD_REACHED);
        assertThat(b.events.get(0).failureKinds()).isEqualTo(snapshot.failureKinds());
    }

    @Test
    void theTimeSinceTheLastTransitionGrowsWithTheClock() {
        Breakers b = new Breakers(Breakers.exact().build());
        assertThat(b.breaker.snapshot().lastTransition()).as("never moved").isNull();
        b.advance(Duration.ofSeconds(3));
        assertThat(b.breaker.snapshot().sinceLastTransition()).as("since it was created").isEqualTo(Duration.ofSeconds(3));

        b.open();
        b.advance(Duration.ofSeconds(12));

        assertThat(b.breaker.snapshot().sinceLastTransition()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void aSuccessEndsTheStreakAndTheNextFailureStartsANewOne() {
        Breakers b = new Breakers(Breakers.exact().build());
        fail(b, RESET, 2);
        b.succeed(1);
        assertThat(b.breaker.snapshot().failureKinds()).as("no streak, no kinds").isEmpty();

        fail(b, UNREACHABLE, 1);

        assertThat(b.breaker.snapshot().failureKinds()).containsExactly(new FailureCount(UNREACHABLE, 1));
    }

    @Test
    void aFailedTrialAddsToTheStreakThatOpenedTheCircuit() {
        Breakers b = new Breakers(Breakers.exact().build());
        fail(b, UNREACHABLE, 5);
        b.halfOpen();

        fail(b, RESET, 1);

        CircuitSnapshot snapshot = b.breaker.snapshot();
        assertThat(snapshot.consecutiveFailures()).isEqualTo(6);
        assertThat(snapshot.failureKinds()).containsExactly(new FailureCount(UNREACHABLE, 5), new FailureCount(RESET, 1));
        assertThat(snapshot.lastTransition()).isEqualTo(Transition.TRIAL_FAILED);
    }

    @Test
    void aTrialThatNeverReportsCountsAsATimedOutTrial() {
        Breakers b = new Breakers(Breakers.exact().trialTimeout(Duration.ofSeconds(1)).build());
        fail(b, RESET, 5);
        b.halfOpen();
        b.breaker.tryAcquire();

        b.advance(Duration.ofSeconds(1));

        CircuitSnapshot snapshot = b.breaker.snapshot();
        assertThat(snapshot.lastTransition()).isEqualTo(Transition.TRIAL_TIMED_OUT);
        assertThat(snapshot.failureKinds())
                .containsExactly(new FailureCount(RESET, 5), new FailureCount(CircuitBreaker.TRIAL_TIMED_OUT, 1));
    }

    @Test
    void aFailureReportedWithoutAKindIsUnspecified() {
        Breakers b = new Breakers(Breakers.exact().build());

        b.fail(2);

        assertThat(b.breaker.snapshot().failureKinds())
                .containsExactly(new FailureCount(CircuitBreaker.UNSPECIFIED_FAILURE, 2));
    }

    @Test
    void kindsBeyondTheBreakersSlotsAreCountedTogether() {
        Breakers b = new Breakers(Breakers.exact().failureThreshold(100).build());

        for (int i = 0; i < FailureStreak.KINDS + 3; i++) {
            fail(b, "kind-" + i, 1);
        }

        assertThat(b.breaker.snapshot().failureKinds()).hasSize(FailureStreak.KINDS + 1)
                .contains(new FailureCount(FailureCount.OTHER_KINDS, 3));
    }

    @Test
    void aTransitionNoticedLateIsDatedToWhenItBecameDue() {
        Breakers b = new Breakers(Breakers.exact().openDuration(Duration.ofSeconds(30)).build());
        fail(b, RESET, 5);

        b.advance(Duration.ofSeconds(40));          // half-open since 10 s, noticed only now

        assertThat(b.breaker.snapshot().lastTransition()).isEqualTo(Transition.OPEN_DURATION_ELAPSED);
        assertThat(b.breaker.snapshot().sinceLastTransition()).isEqualTo(Duration.ofSeconds(10));
    }

    private static void fail(Breakers b, String kind, int times) {
        for (int i = 0; i < times; i++) {
            b.breaker.onFailure(b.breaker.tryAcquire(), kind);
        }
    }
}
