package io.healthyproxy.core;

import static io.healthyproxy.core.WeightedBackends.assertShares;
import static io.healthyproxy.core.WeightedBackends.balancer;
import static io.healthyproxy.core.WeightedBackends.expected;
import static io.healthyproxy.core.WeightedBackends.open;
import static io.healthyproxy.core.WeightedBackends.picks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.time.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Slow start, in fake time: a backend that joins or comes back ramps from 10% of its weight to all of it. */
class SlowStartTest {

    private static final Duration WINDOW = Duration.ofSeconds(30);
    /** Enough that 5% of the ramping backend's smallest share (0.1 / 2.1) is four standard deviations. */
    private static final int CALLS = 200_000;

    private final ManualTicker ticker = new ManualTicker();

    private Backend backend(String id, Duration slowStart) {
        return Backend.builder(id).slowStart(slowStart).breaker(WeightedBackends.BREAKER)
                .healthCheck(HealthCheckConfig.defaults()).ticker(ticker).random(new SplittableRandom(id.hashCode()))
                .build();
    }

    /** Two steady backends, and one that joins the pool now with a 30 s slow start. */
    private List<Backend> steadyTwoPlusOneJoining(BackendPool[] pool, String balancer) {
        List<Backend> backends = new ArrayList<>(List.of(backend("a", WINDOW), backend("b", WINDOW)));
        pool[0] = new BackendPool(backends, balancer(balancer, 7), NoBackendPolicy.FAIL_FAST);
        Backend joining = backend("c", WINDOW);
        pool[0].add(joining);
        backends.add(joining);
        return backends;
    }

    @ParameterizedTest(name = "{0}, {1}% into the window")
    @CsvSource({"roundRobin, 0, 0.1", "roundRobin, 50, 0.5", "roundRobin, 100, 1.0",
            "powerOfTwoChoices, 0, 0.1", "powerOfTwoChoices, 50, 0.5", "powerOfTwoChoices, 100, 1.0"})
    void aJoiningBackendsShareRampsFromATenthOfItsWeightToAllOfIt(String balancer, int percent, double factor) {
        BackendPool[] pool = new BackendPool[1];
        List<Backend> backends = steadyTwoPlusOneJoining(pool, balancer);
        ticker.advance(WINDOW.multipliedBy(percent).dividedBy(100));

        assertThat(backends.get(2).slowStartFactor()).isEqualTo(factor);
        assertShares(picks(pool[0], CALLS), expected(backends, CALLS, b -> b.id().equals("c") ? factor : 1.0), 0.05);
    }

    @Test
    void theFactorRisesLinearlyAndIsOneFromTheEndOfTheWindowOn() {
        Backend b = backend("a", WINDOW);
        b.beginSlowStart();

        assertThat(b.slowStartFactor()).isEqualTo(0.1);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(b.slowStartFactor()).as("never below a tenth").isEqualTo(0.1);
        ticker.advance(Duration.ofSeconds(8));
        assertThat(b.slowStartFactor()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        ticker.advance(Duration.ofSeconds(21));
        assertThat(b.slowStartFactor()).isEqualTo(1.0);
        ticker.advance(Duration.ofSeconds(60));
        assertThat(b.slowStartFactor()).isEqualTo(1.0);
        assertThat(b.effectiveWeight()).isEqualTo(1.0);
    }

    @Test
    void backendsPresentWhenThePoolIsBuiltDoNotRamp() {
        List<Backend> backends = List.of(backend("a", WINDOW), backend("b", WINDOW));
        BackendPool.of(backends);

        assertThat(backends).allSatisfy(b -> assertThat(b.slowStartFactor()).isEqualTo(1.0));
    }

    @Test
    void aBackendWhoseCircuitClosesAgainRampsFromTheMomentItClosed() {
        Backend b = backend("a", WINDOW);
        open(b);
        ticker.advance(Duration.ofSeconds(10));
        long trial = b.breaker().tryAcquire();
        assertThat(b.breaker().state()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(b.slowStartFactor()).as("not while open or half-open: the breaker decides then").isEqualTo(1.0);

        b.breaker().onSuccess(trial);

        assertThat(b.breaker().state()).isEqualTo(CircuitState.CLOSED);
        assertThat(b.slowStartFactor()).isEqualTo(0.1);
        ticker.advance(WINDOW.dividedBy(2));
        assertThat(b.slowStartFactor()).isEqualTo(0.5);
    }

    @Test
    void aBackendWhoseHealthChecksPassAgainRamps() {
        Backend b = backend("a", WINDOW);
        for (int i = 0; i < b.health().config().unhealthyThreshold(); i++) {
            b.health().record(ProbeResult.failed("down"), 0, ticker.read());
        }
        assertThat(b.slowStartFactor()).isEqualTo(1.0);

        for (int i = 0; i < b.health().config().healthyThreshold(); i++) {
            b.health().record(ProbeResult.passed("200"), 0, ticker.read());
        }

        assertThat(b.health().isHealthy()).isTrue();
        assertThat(b.slowStartFactor()).isEqualTo(0.1);
    }

    @Test
    void aRampBegunAgainStartsOverAndIsNotEndedByTheOldOnesWindow() {
        Backend b = backend("a", WINDOW);
        b.beginSlowStart();
        ticker.advance(Duration.ofSeconds(20));
        b.beginSlowStart();
        ticker.advance(Duration.ofSeconds(15));

        assertThat(b.slowStartFactor()).isEqualTo(0.5);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"roundRobin", "powerOfTwoChoices"})
    void aRampingBackendThatIsTheOnlyOneLeftTakesEveryCall(String balancer) {
        List<Backend> backends = List.of(backend("a", WINDOW), backend("b", WINDOW));
        BackendPool pool = new BackendPool(backends, balancer(balancer, 8), NoBackendPolicy.FAIL_FAST);
        backends.get(1).beginSlowStart();
        open(backends.get(0));

        assertThat(picks(pool, 1_000)).containsOnly(java.util.Map.entry("b", 1_000));
    }

    @Test
    void slowStartIsOffByDefault() {
        Backend b = Backend.builder("a").ticker(ticker).build();
        b.beginSlowStart();

        assertThat(b.slowStartFactor()).isEqualTo(1.0);
        assertThatThrownBy(() -> Backend.builder("a").slowStart(Duration.ofSeconds(-1)))
                .hasMessage("slowStart: -1s (expected: >= 0)");
    }
}
