package io.healthyproxy.core.breaker;

import static io.healthyproxy.core.breaker.CircuitBreaker.DENIED;
import static io.healthyproxy.core.breaker.CircuitState.CLOSED;
import static io.healthyproxy.core.breaker.CircuitState.HALF_OPEN;
import static io.healthyproxy.core.breaker.CircuitState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    @Test
    void startsClosedAndAdmitsEveryCall() {
        Breakers b = new Breakers(CircuitBreakerConfig.defaults());
        for (int i = 0; i < 1000; i++) {
            assertThat(b.breaker.tryAcquire()).isNotEqualTo(DENIED);
        }
        assertThat(b.breaker.state()).isEqualTo(CLOSED);
        assertThat(b.events).isEmpty();
    }

    @Test
    void opensAfterFiveConsecutiveFailures() {
        Breakers b = new Breakers(CircuitBreakerConfig.defaults());
        b.fail(4);
        assertThat(b.breaker.state()).isEqualTo(CLOSED);
        assertThat(b.breaker.snapshot().consecutiveFailures()).isEqualTo(4);

        b.fail(1);

        assertThat(b.breaker.state()).isEqualTo(OPEN);
        assertThat(b.transitions()).containsExactly(Transition.FAILURE_THRESHOLD_REACHED);
        assertThat(b.events.get(0).consecutiveFailures()).isEqualTo(5);
        assertThat(b.breaker.snapshot().timesOpened()).isEqualTo(1);
    }

    @Test
    void aSuccessResetsTheConsecutiveFailureCount() {
        Breakers b = new Breakers(CircuitBreakerConfig.defaults());
        b.fail(4);
        b.succeed(1);
        b.fail(4);

        assertThat(b.breaker.state()).isEqualTo(CLOSED);
        assertThat(b.breaker.snapshot().consecutiveFailures()).isEqualTo(4);
    }

    @Test
    void openCircuitRefusesEveryCallUntilTheOpenDurationHasPassed() {
        Breakers b = new Breakers(Breakers.exact().build()).open();

        b.advance(Duration.ofSeconds(30).minusNanos(1));
        assertThat(b.breaker.tryAcquire()).isEqualTo(DENIED);
        assertThat(b.breaker.admitsTraffic()).isFalse();
        assertThat(b.breaker.snapshot().openRemaining()).isEqualTo(Duration.ofNanos(1));

        b.advance(Duration.ofNanos(1));
        assertThat(b.breaker.state()).isEqualTo(HALF_OPEN);
        assertThat(b.transitions()).containsExactly(Transition.FAILURE_THRESHOLD_REACHED,
                Transition.OPEN_DURATION_ELAPSED);
    }

    @Test
    void halfOpenAdmitsExactlyOneTrialByDefault() {
        Breakers b = new Breakers(Breakers.exact().build()).halfOpen();

        long trial = b.breaker.tryAcquire();

        assertThat(trial).isNotEqualTo(DENIED);
        assertThat(CircuitBreaker.isTrial(trial)).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(b.breaker.tryAcquire()).isEqualTo(DENIED);
        }
        assertThat(b.breaker.admitsTraffic()).isFalse();
        assertThat(b.breaker.snapshot().trialsInFlight()).isEqualTo(1);
        assertThat(b.breaker.snapshot().trialsAdmitted()).isEqualTo(1);
    }

    @Test
    void halfOpenAdmitsExactlyKTrials() {
        Breakers b = new Breakers(Breakers.exact().halfOpenTrials(3).successThreshold(2).build()).halfOpen();

        long granted = 0;
        for (int i = 0; i < 10; i++) {
            if (b.breaker.tryAcquire() != DENIED) {
                granted++;
            }
        }

        assertThat(granted).isEqualTo(3);
    }

    @Test
    void successfulTrialClosesTheCircuit() {
        Breakers b = new Breakers(Breakers.exact().build()).halfOpen();

        b.breaker.onSuccess(b.breaker.tryAcquire());

        assertThat(b.breaker.state()).isEqualTo(CLOSED);
        assertThat(b.breaker.snapshot().consecutiveFailures()).isZero();
        assertThat(b.transitions()).endsWith(Transition.TRIALS_SUCCEEDED);
        assertThat(b.breaker.tryAcquire()).isNotEqualTo(DENIED);
    }

    @Test
    void closesOnlyAfterTheSuccessThresholdIsReached() {
        Breakers b = new Breakers(Breakers.exact().halfOpenTrials(3).successThreshold(3).build()).halfOpen();
        long t1 = b.breaker.tryAcquire();
        long t2 = b.breaker.tryAcquire();
        long t3 = b.breaker.tryAcquire();

        b.breaker.onSuccess(t1);
        b.breaker.onSuccess(t2);
        assertThat(b.breaker.state()).isEqualTo(HALF_OPEN);
        assertThat(b.breaker.tryAcquire()).as("succeeded slots are not handed out again").isEqualTo(DENIED);

        b.breaker.onSuccess(t3);
        assertThat(b.breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void failedTrialReopensForTwiceAsLong() {
        Breakers b = new Breakers(Breakers.exact().build()).halfOpen();

        b.breaker.onFailure(b.breaker.tryAcquire());

        assertThat(b.breaker.state()).isEqualTo(OPEN);
        assertThat(b.transitions()).endsWith(Transition.TRIAL_FAILED);
        assertThat(b.events.get(b.events.size() - 1).openDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.breaker.snapshot().timesOpened()).isEqualTo(2);
        assertThat(b.breaker.snapshot().consecutiveFailures()).isEqualTo(6);
    }

    @Test
    void oneFailedTrialReopensEvenWhenOtherTrialsSucceeded() {
        Breakers b = new Breakers(Breakers.exact().halfOpenTrials(2).successThreshold(2).build()).halfOpen();
        long t1 = b.breaker.tryAcquire();
        long t2 = b.breaker.tryAcquire();

        b.breaker.onSuccess(t1);
        b.breaker.onFailure(t2);

        assertThat(b.breaker.state()).isEqualTo(OPEN);
    }

    @Test
    void trialThatNeverReportsTimesOutAndReopensTheCircuit() {
        Breakers b = new Breakers(Breakers.exact().trialTimeout(Duration.ofSeconds(2)).build()).halfOpen();
        long hung = b.breaker.tryAcquire();
        assertThat(hung).isNotEqualTo(DENIED);

        b.advance(Duration.ofSeconds(2).minusNanos(1));
        assertThat(b.breaker.state()).isEqualTo(HALF_OPEN);
        b.advance(Duration.ofNanos(1));

        assertThat(b.breaker.state()).isEqualTo(OPEN);
        assertThat(b.transitions()).endsWith(Transition.TRIAL_TIMED_OUT);
        assertThat(b.events.get(b.events.size() - 1).openDuration()).isEqualTo(Duration.ofSeconds(60));

        b.breaker.onSuccess(hung);
        assertThat(b.breaker.state()).as("the hung trial's late success is ignored").isEqualTo(OPEN);
    }

    @Test
    void trialTimeoutIsDatedToItsDeadlineEvenWhenNoticedLate() {
        Breakers b = new Breakers(Breakers.exact().trialTimeout(Duration.ofSeconds(2)).build()).halfOpen();
        b.breaker.tryAcquire();

        // Nobody looks at the breaker for 70 s: the trial timed out at +2 s, re-opened for 60 s, and by +62 s a
        // new trial was due. The breaker reports that history, not a fresh 60 s from now.
        b.advance(Duration.ofSeconds(70));

        assertThat(b.breaker.state()).isEqualTo(HALF_OPEN);
        assertThat(b.transitions()).endsWith(Transition.TRIAL_TIMED_OUT, Transition.OPEN_DURATION_ELAPSED);
    }

    @Test
    void releasedTrialFreesItsSlotForAnotherTrial() {
        Breakers b = new Breakers(Breakers.exact().build()).halfOpen();
        long first = b.breaker.tryAcquire();
        assertThat(b.breaker.tryAcquire()).isEqualTo(DENIED);

        b.breaker.release(first);

        long second = b.breaker.tryAcquire();
        assertThat(second).isNotEqualTo(DENIED);
        b.breaker.onSuccess(first);
        assertThat(b.breaker.state()).as("a released permit reports nothing").isEqualTo(HALF_OPEN);
        b.breaker.onSuccess(second);
        assertThat(b.breaker.state()).isEqualTo(CLOSED);
    }

    @Test
    void lateSuccessOfACallAdmittedBeforeTheCircuitOpenedCannotCloseIt() {
        Breakers b = new Breakers(Breakers.exact().build());
        long slowCall = b.breaker.tryAcquire();
        b.open().halfOpen();

        b.breaker.onSuccess(slowCall);

        assertThat(b.breaker.state()).isEqualTo(HALF_OPEN);
        assertThat(b.breaker.tryAcquire()).as("the trial slot is still free").isNotEqualTo(DENIED);
    }

    @Test
    void lateFailureOfACallFromAnEarlierClosedPeriodIsNotCounted() {
        Breakers b = new Breakers(Breakers.exact().build());
        long oldCall = b.breaker.tryAcquire();
        b.reclosed();

        b.breaker.onFailure(oldCall);

        assertThat(b.breaker.snapshot().consecutiveFailures()).isZero();
    }

    @Test
    void aProbeCanTakeTrafficAwayButNeverGiveItBack() {
        Breakers b = new Breakers(Breakers.exact().build());
        long closed = b.breaker.tryAcquireProbe();
        assertThat(closed).isNotEqualTo(DENIED);
        assertThat(CircuitBreaker.isTrial(closed)).isFalse();

        b.open();
        assertThat(b.breaker.tryAcquireProbe()).as("no probe counts while open").isEqualTo(DENIED);

        b.halfOpen();
        b.breaker.onSuccess(b.breaker.tryAcquireProbe());
        assertThat(b.breaker.state()).as("a passing probe does not close it").isEqualTo(HALF_OPEN);
        assertThat(b.breaker.snapshot().trialsAdmitted()).isZero();

        b.breaker.onFailure(b.breaker.tryAcquireProbe());
        assertThat(b.breaker.state()).as("a failing probe re-opens it").isEqualTo(OPEN);
        assertThat(b.transitions()).endsWith(Transition.PROBE_FAILED);
        assertThat(b.events.get(b.events.size() - 1).openDuration()).isEqualTo(Duration.ofSeconds(60));

        b.halfOpen();
        long trial = b.breaker.tryAcquire();
        assertThat(CircuitBreaker.isTrial(trial)).isTrue();
        b.breaker.onSuccess(trial);
        assertThat(b.breaker.state()).as("only a real trial closes it").isEqualTo(CLOSED);
    }

    @Test
    void aPassingProbeCannotEraseFailuresOfRealCalls() {
        Breakers b = new Breakers(Breakers.exact().build());
        b.fail(4);

        b.breaker.onSuccess(b.breaker.tryAcquireProbe());
        assertThat(b.breaker.snapshot().consecutiveFailures()).as("/health passing says nothing of / failing")
                .isEqualTo(4);
        b.fail(1);

        assertThat(b.breaker.state()).isEqualTo(OPEN);
    }

    @Test
    void aPassingProbeClearsAStreakOfProbeFailuresAndARealSuccessClearsAny() {
        Breakers b = new Breakers(Breakers.exact().build());
        for (int i = 0; i < 4; i++) {
            b.breaker.onFailure(b.breaker.tryAcquireProbe());
        }
        b.breaker.onSuccess(b.breaker.tryAcquireProbe());
        assertThat(b.breaker.snapshot().consecutiveFailures()).isZero();

        b.fail(2);
        b.breaker.onFailure(b.breaker.tryAcquireProbe());
        b.succeed(1);
        assertThat(b.breaker.snapshot().consecutiveFailures()).isZero();
    }

    @Test
    void probesAreNotCountedInTheFailureRateWindow() {
        Breakers b = new Breakers(Breakers.exact().failureThreshold(1000)
                .failureRate(FailureRateTrigger.of(0.5, 4, Duration.ofSeconds(10))).build());
        b.fail(2);
        for (int i = 0; i < 10; i++) {
            b.breaker.onSuccess(b.breaker.tryAcquireProbe());
        }

        b.succeed(1);
        b.fail(1);

        assertThat(b.breaker.state()).as("3 of 4 real calls failed; passing probes do not dilute that").isEqualTo(OPEN);
    }

    @Test
    void aProbeDoesNotTakeTheTrialSlot() {
        Breakers b = new Breakers(Breakers.exact().build()).halfOpen();

        long probe = b.breaker.tryAcquireProbe();

        assertThat(b.breaker.tryAcquire()).isNotEqualTo(DENIED);
        b.breaker.onSuccess(probe);
    }

    @Test
    void reportsAboutADeniedPermitAreRejected() {
        CircuitBreaker breaker = new Breakers(CircuitBreakerConfig.defaults()).breaker;

        assertThatThrownBy(() -> breaker.onSuccess(DENIED)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permit: -1");
        assertThatThrownBy(() -> breaker.onFailure(DENIED)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void snapshotCountsRejectedCalls() {
        Breakers b = new Breakers(Breakers.exact().build()).open();
        b.breaker.tryAcquire();
        b.breaker.tryAcquire();

        CircuitSnapshot snapshot = b.breaker.snapshot();

        assertThat(snapshot.name()).isEqualTo("b1");
        assertThat(snapshot.state()).isEqualTo(OPEN);
        assertThat(snapshot.rejected()).isEqualTo(2);
        assertThat(snapshot.lastOpenDuration()).isEqualTo(Duration.ofSeconds(30));
    }
}
