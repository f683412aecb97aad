package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.Ejection;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.breaker.FailureCount;
import io.healthyproxy.core.breaker.Transition;
import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.HealthStatus;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.time.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransitionLogTest {

    private final ManualTicker ticker = new ManualTicker();
    private final Timeline timeline = new Timeline(ticker);
    private final TransitionLog log = new TransitionLog("default", timeline, ticker);

    @Test
    void aCircuitTransitionIsOnTheTimelineDatedWhenItHappenedWithItsReason() {
        ticker.advance(Duration.ofSeconds(3));
        log.onTransition(new TransitionEvent("api-1", Transition.FAILURE_THRESHOLD_REACHED, ticker.read() - 1_000_000,
                5, Duration.ofSeconds(5), 1));

        Timeline.Event e = timeline.recent().get(0);
        assertThat(e.cluster()).isEqualTo("default");
        assertThat(e.backend()).isEqualTo("api-1");
        assertThat(e.kind()).isEqualTo(Timeline.Kind.CIRCUIT);
        assertThat(e.from()).isEqualTo("closed");
        assertThat(e.to()).isEqualTo("open");
        assertThat(e.reason()).isEqualTo("failure_threshold_reached");
        assertThat(e.text()).isEqualTo("circuit closed → open (failure threshold reached), 5 consecutive failures, open for 5s");
        assertThat(e.atNanos()).isEqualTo(ticker.read() - 1_000_000);
        assertThat(e.lengthNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void anOpeningSaysWhatKindsOfFailureMadeIt() {
        log.onTransition(new TransitionEvent("api-1", Transition.FAILURE_THRESHOLD_REACHED, ticker.read(), 5,
                Duration.ofSeconds(5), 1, List.of(new FailureCount(AttemptFailure.CONNECT.code(), 3),
                        new FailureCount(AttemptFailure.RESET.code(), 2))));

        assertThat(timeline.recent().get(0).text()).isEqualTo("circuit closed → open (failure threshold reached), "
                + "5 consecutive failures (3 unreachable, 2 reset), open for 5s");
    }

    @Test
    void healthFlipsAreOnTheTimelineBothWays() {
        log.onHealthChange("api-2", new HealthStatus(false, 0, 3, 7, ProbeResult.failed("connection refused"), 0, 0));
        log.onHealthChange("api-2", new HealthStatus(true, 2, 0, 9, ProbeResult.passed("200"), 0, 0));

        assertThat(timeline.recent()).extracting(Timeline.Event::from, Timeline.Event::to, Timeline.Event::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("healthy", "unhealthy", "checks_failed"),
                        org.assertj.core.groups.Tuple.tuple("unhealthy", "healthy", "checks_passed"));
        assertThat(timeline.recent().get(0).text()).isEqualTo("unhealthy after 3 failed checks (last check: connection refused)");
    }

    @Test
    void anEjectionIsOnTheTimelineWithItsLengthAndWhy() {
        Backend backend = Backend.create("api-3", CircuitBreakerConfig.defaults(), HealthCheckConfig.defaults(), ticker,
                new Random(1));
        log.onEjected(backend, new Ejection("median 120ms against the peers' p90 of 2ms", ticker.read() + 5_000_000_000L,
                Duration.ofSeconds(5)));

        Timeline.Event e = timeline.recent().get(0);
        assertThat(e.kind()).isEqualTo(Timeline.Kind.EJECTION);
        assertThat(e.from()).isNull();
        assertThat(e.to()).isEqualTo("ejected");
        assertThat(e.reason()).isEqualTo("slower_than_peers");
        assertThat(e.text()).isEqualTo("ejected for 5s, median 120ms against the peers' p90 of 2ms");
        assertThat(e.lengthNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
    }
}
