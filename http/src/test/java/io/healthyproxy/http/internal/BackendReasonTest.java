package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.ActiveHealthChecker;
import io.healthyproxy.core.Backend;
import io.healthyproxy.core.breaker.CircuitBreaker;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.FailureCount;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.time.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The words {@code /status} and the dashboard give for a backend's state, from a real backend in fake time. */
class BackendReasonTest {

    private final ManualTicker ticker = new ManualTicker();
    private final Backend backend = Backend.create("b1", CircuitBreakerConfig.builder().openJitter(0)
            .openDuration(Duration.ofSeconds(15)).build(), HealthCheckConfig.defaults(), ticker, new SplittableRandom(1));

    @Test
    void aHealthyBackendWithNothingAgainstItHasNothingToSay() {
        assertThat(reason()).isEmpty();
    }

    @Test
    void anOpenCircuitSaysWhenItOpenedAfterWhichFailuresAndWhenItsTrialComes() {
        fail(AttemptFailure.CONNECT.code(), 3);
        fail(AttemptFailure.RESET.code(), 2);

        ticker.advance(Duration.ofSeconds(12));

        assertThat(reason()).isEqualTo("circuit opened 12s ago: 5 consecutive failures: 3 unreachable, 2 reset; "
                + "next trial in 3s");
    }

    @Test
    void aClosedCircuitWithFailuresSaysHowNearItIsToOpening() {
        fail(AttemptFailure.FAILURE_STATUS.code(), 2);

        assertThat(reason()).isEqualTo("2 consecutive failures: 2 error statuses (the circuit opens at 5)");
    }

    @Test
    void aHalfOpenCircuitSaysWhoseTurnTheTrialIs() {
        fail(AttemptFailure.STALLED.code(), 5);
        ticker.advance(Duration.ofSeconds(16));

        assertThat(reason()).isEqualTo("circuit half-open for 1s (open duration over): the next request is its trial");
        backend.breaker().tryAcquire();
        assertThat(reason()).endsWith(": a trial is under way");
    }

    @Test
    void aReopenedCircuitSaysItsTrialFailed() {
        fail(AttemptFailure.RESET.code(), 5);
        ticker.advance(Duration.ofSeconds(15));
        fail(AttemptFailure.BAD_RESPONSE.code(), 1);

        assertThat(reason()).startsWith("circuit opened 0ms ago (its trial failed): "
                + "6 consecutive failures: 5 reset, 1 invalid response; next trial in ");
    }

    @Test
    void anUnhealthyBackendSaysHowManyChecksFailedTheLastOnesDetailAndWhenTheNextComes() {
        for (int i = 0; i < 3; i++) {
            backend.health().record(ProbeResult.failed("timed out after 1s"), 1_000_000_000L, ticker.read());
        }
        backend.health().checkScheduled(ticker.read() + 400_000_000L);

        assertThat(reason()).isEqualTo("unhealthy: 3 failed checks (last: timed out after 1s); next check in 400ms");
        backend.health().checkStarted();
        assertThat(reason()).endsWith("; checking now");
    }

    @Test
    void failuresOfTheBreakersAndTheCheckersOwnKindsHaveWordsToo() {
        assertThat(BackendReason.failures(4, List.of(new FailureCount(ActiveHealthChecker.CHECK_FAILED, 3),
                new FailureCount(CircuitBreaker.TRIAL_TIMED_OUT, 1))))
                .isEqualTo("4 consecutive failures: 3 failed health checks, 1 trial timed out");
        assertThat(BackendReason.failures(1, List.of(new FailureCount("made_up_kind", 1))))
                .isEqualTo("1 consecutive failure: 1 made up kind");
    }

    @Test
    void durationsAreAsPreciseAsAPersonReadingThemWants() {
        assertThat(BackendReason.roughly(12_400_000_000L)).isEqualTo("12s");
        assertThat(BackendReason.roughly(1_260_000_000L)).isEqualTo("1.3s");
        assertThat(BackendReason.roughly(85_400_000L)).isEqualTo("85ms");
        assertThat(BackendReason.roughly(-5)).as("a moment overdue").isEqualTo("0ms");
    }

    private void fail(String kind, int times) {
        for (int i = 0; i < times; i++) {
            backend.breaker().onFailure(backend.breaker().tryAcquire(), kind);
        }
    }

    private String reason() {
        return BackendReason.of(backend.status(), backend.breaker().config().failureThreshold(), ticker.read());
    }
}
