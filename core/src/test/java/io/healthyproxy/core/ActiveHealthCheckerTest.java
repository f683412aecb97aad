package io.healthyproxy.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.FailureCount;
import io.healthyproxy.core.breaker.Transition;
import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.time.ManualTicker;
import io.healthyproxy.core.time.VirtualTimeScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActiveHealthCheckerTest {

    private final ManualTicker ticker = new ManualTicker(0);
    private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler(ticker);
    private final ScriptedProber prober = new ScriptedProber(ticker);
    private final HealthCheckConfig health = HealthCheckConfig.builder()
            .interval(Duration.ofSeconds(2)).unhealthyInterval(Duration.ofMillis(500))
            .timeout(Duration.ofMillis(300)).jitter(0.1).healthyThreshold(2).unhealthyThreshold(3).build();
    private final CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.builder()
            .failureThreshold(5).openDuration(Duration.ofSeconds(10)).openJitter(0).build();
    private final Backend backend = Backend.create("b1", breakerConfig, health, ticker, new SplittableRandom(1));
    private final ActiveHealthChecker checker =
            new ActiveHealthChecker(health, prober, scheduler, ticker, new SplittableRandom(7));
    private final List<TransitionEvent> transitions = new ArrayList<>();

    ActiveHealthCheckerTest() {
        backend.breaker().addListener(transitions::add);
    }

    @Test
    void firstCheckStartsWithinTheFirstIntervalThenEveryIntervalWithinItsJitter() {
        checker.watch(backend);

        scheduler.runFor(Duration.ofSeconds(60));

        assertThat(prober.sentAt.get(0)).isBetween(0L, 2_000_000_000L);
        assertThat(prober.gapsMillis()).hasSizeGreaterThan(25).allSatisfy(gap -> assertThat(gap).isBetween(1800L, 2200L));
        assertThat(prober.gapsMillis().stream().distinct().count()).as("jittered, not constant").isGreaterThan(20);
    }

    @Test
    void checksOfManyBackendsAreSpreadOut() {
        for (int i = 0; i < 10; i++) {
            checker.watch(Backend.create("b" + i, breakerConfig, health, ticker, new SplittableRandom(i)));
        }

        scheduler.runFor(Duration.ofSeconds(2));

        Map<String, Long> firstCheck = new HashMap<>();
        for (int i = 0; i < prober.sentTo.size(); i++) {
            firstCheck.putIfAbsent(prober.sentTo.get(i), prober.sentAt.get(i));
        }
        assertThat(firstCheck).hasSize(10);
        assertThat(firstCheck.values()).doesNotHaveDuplicates()
                .allSatisfy(t -> assertThat(t).isBetween(0L, 2_000_000_000L));
    }

    @Test
    void checksFasterWhileUnhealthy() {
        prober.behaviour = ScriptedProber.Behaviour.FAIL;
        checker.watch(backend);
        scheduler.runFor(Duration.ofSeconds(10));
        assertThat(backend.health().isHealthy()).isFalse();
        int before = prober.sentAt.size();

        scheduler.runFor(Duration.ofSeconds(10));

        List<Long> gaps = prober.gapsMillis().subList(before, prober.sentAt.size() - 1);
        assertThat(gaps).allSatisfy(gap -> assertThat(gap).isBetween(450L, 550L));
    }

    @Test
    void failedProbesMakeTheBackendUnhealthyAndOpenItsCircuit() {
        prober.behaviour = ScriptedProber.Behaviour.FAIL;
        checker.watch(backend);

        scheduler.runFor(Duration.ofSeconds(10));

        assertThat(backend.health().isHealthy()).isFalse();
        assertThat(backend.breaker().state()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions).extracting(TransitionEvent::transition)
                .containsExactly(Transition.FAILURE_THRESHOLD_REACHED);
        assertThat(backend.admitsTraffic()).isFalse();
    }

    @Test
    void probesGoOnWhileOpenButOnlyARealRequestCanCloseTheCircuit() {
        prober.behaviour = ScriptedProber.Behaviour.FAIL;
        checker.watch(backend);
        scheduler.runFor(Duration.ofSeconds(6));
        assertThat(backend.breaker().state()).isEqualTo(CircuitState.OPEN);
        long openedAt = transitions.get(0).atNanos();

        prober.behaviour = ScriptedProber.Behaviour.PASS;
        scheduler.runUntil(openedAt + Duration.ofSeconds(10).toNanos() - 1);
        assertThat(backend.health().isHealthy()).as("probes kept going while open").isTrue();
        assertThat(backend.breaker().state()).as("but could not cut the open duration short").isEqualTo(CircuitState.OPEN);

        onlyARealTrialClosesIt(backend, transitions, Transition.OPEN_DURATION_ELAPSED);
    }

    @Test
    void withHalfOpenOnHealthRecoveryARecoveryTheChecksSeeBringsTheTrialForwardButOnlyARealRequestCloses() {
        Backend backend = Backend.builder("b2").breaker(breakerConfig).healthCheck(health)
                .halfOpenOnHealthRecovery(true).ticker(ticker).random(new SplittableRandom(1)).build();
        List<TransitionEvent> transitions = new ArrayList<>();
        backend.breaker().addListener(transitions::add);
        prober.behaviour = ScriptedProber.Behaviour.FAIL;
        checker.watch(backend);
        scheduler.runFor(Duration.ofSeconds(6));
        assertThat(backend.breaker().state()).isEqualTo(CircuitState.OPEN);
        assertThat(backend.health().isHealthy()).isFalse();
        long openedAt = transitions.get(0).atNanos();

        prober.behaviour = ScriptedProber.Behaviour.PASS;
        scheduler.runUntil(openedAt + Duration.ofSeconds(5).toNanos());
        assertThat(backend.health().isHealthy()).as("probes kept going while open").isTrue();
        assertThat(backend.breaker().state()).as("the recovery ended the open period early")
                .isEqualTo(CircuitState.HALF_OPEN);

        onlyARealTrialClosesIt(backend, transitions, Transition.HEALTH_RECOVERED);
    }

    /**
     * With {@code backend} half-open and its probes passing: 30 s of passing probes leave it half-open, and one
     * real trial closes it; the transitions were the threshold, {@code halfOpenedBy}, the trial.
     */
    private void onlyARealTrialClosesIt(Backend backend, List<TransitionEvent> transitions, Transition halfOpenedBy) {
        scheduler.runFor(Duration.ofSeconds(30));
        assertThat(backend.breaker().state()).as("passing probes never close it").isEqualTo(CircuitState.HALF_OPEN);
        assertThat(backend.breaker().snapshot().trialsAdmitted()).isZero();

        long trial = backend.breaker().tryAcquire();
        backend.breaker().onSuccess(trial);

        assertThat(backend.breaker().state()).isEqualTo(CircuitState.CLOSED);
        assertThat(transitions).extracting(TransitionEvent::transition).containsExactly(
                Transition.FAILURE_THRESHOLD_REACHED, halfOpenedBy, Transition.TRIALS_SUCCEEDED);
    }

    @Test
    void aFailingProbeReopensAHalfOpenCircuitAndAHungOneCannotWedgeIt() {
        prober.behaviour = ScriptedProber.Behaviour.FAIL;
        checker.watch(backend);
        scheduler.runFor(Duration.ofSeconds(18));

        assertThat(transitions).extracting(TransitionEvent::transition).startsWith(
                Transition.FAILURE_THRESHOLD_REACHED, Transition.OPEN_DURATION_ELAPSED, Transition.PROBE_FAILED);
        assertThat(transitions.get(2).openDuration()).isEqualTo(Duration.ofSeconds(20));

        prober.behaviour = ScriptedProber.Behaviour.HANG;
        scheduler.runFor(Duration.ofSeconds(30));

        assertThat(transitions).extracting(TransitionEvent::transition).endsWith(Transition.PROBE_FAILED);
        assertThat(backend.breaker().snapshot().trialsAdmitted()).as("probes never took a trial").isZero();
    }

    @Test
    void failedChecksAreTheirOwnKindOfFailureOnTheBreaker() {
        prober.behaviour = ScriptedProber.Behaviour.FAIL;
        checker.watch(backend);

        scheduler.runFor(Duration.ofSeconds(6));

        assertThat(backend.breaker().snapshot().failureKinds())
                .containsExactly(new FailureCount(ActiveHealthChecker.CHECK_FAILED, 5));
    }

    @Test
    void aBackendsHealthStatusSaysWhenItsNextCheckIsDueAndWhenOneIsInFlight() {
        checker.watch(backend);
        long firstDue = backend.health().status().nextCheckAtNanos().orElseThrow();

        scheduler.runUntil(firstDue);
        assertThat(prober.sentAt).containsExactly(firstDue);
        long secondDue = backend.health().status().nextCheckAtNanos().orElseThrow();
        assertThat(secondDue - firstDue).as("an interval, within its jitter").isBetween(1_800_000_000L, 2_200_000_000L);
        assertThat(backend.health().status().checkInFlight()).isFalse();

        prober.behaviour = ScriptedProber.Behaviour.HANG;
        scheduler.runUntil(secondDue);

        assertThat(backend.health().status().checkInFlight()).isTrue();
        assertThat(backend.health().status().nextCheckAtNanos()).as("not before this one settles").isEmpty();
        scheduler.runFor(health.timeout());
        assertThat(backend.health().status().checkInFlight()).as("timed out, so settled").isFalse();
        assertThat(backend.health().status().nextCheckAtNanos()).isPresent();
    }

    @Test
    void whileClosedAPassingProbeResetsTheFailureCount() {
        prober.behaviour = ScriptedProber.Behaviour.FAIL;
        checker.watch(backend);
        scheduler.runFor(Duration.ofSeconds(4));
        assertThat(backend.breaker().snapshot().consecutiveFailures()).isBetween(1, 4);

        prober.behaviour = ScriptedProber.Behaviour.PASS;
        scheduler.runFor(Duration.ofSeconds(3));

        assertThat(backend.breaker().snapshot().consecutiveFailures()).isZero();
        assertThat(backend.breaker().state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void lateAnswerOfATimedOutProbeIsIgnored() {
        prober.behaviour = ScriptedProber.Behaviour.HANG;
        checker.watch(backend);
        scheduler.runFor(Duration.ofSeconds(3));
        long checks = backend.health().status().checks();

        prober.hung.get(0).complete(io.healthyproxy.core.health.ProbeResult.passed("late"));

        assertThat(backend.health().status().checks()).isEqualTo(checks);
    }

    @Test
    void aProberThatThrowsCountsAsAFailedCheck() {
        prober.behaviour = ScriptedProber.Behaviour.THROW;
        checker.watch(backend);

        scheduler.runFor(Duration.ofSeconds(10));

        assertThat(backend.health().isHealthy()).isFalse();
        assertThat(backend.health().status().lastResult().detail()).contains("transport broken");
    }

    @Test
    void unwatchAndCloseStopTheChecks() {
        Backend other = Backend.create("b2", breakerConfig, health, ticker, new SplittableRandom(2));
        checker.watch(backend);
        checker.watch(other);
        scheduler.runFor(Duration.ofSeconds(5));

        checker.unwatch(backend);
        checker.close();
        int sent = prober.sentAt.size();
        scheduler.runFor(Duration.ofSeconds(60));

        assertThat(prober.sentAt).hasSize(sent);
    }
}
