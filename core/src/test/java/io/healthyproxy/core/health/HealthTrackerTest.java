package io.healthyproxy.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {

    private static final ProbeResult PASS = ProbeResult.passed("ok");
    private static final ProbeResult FAIL = ProbeResult.failed("refused");

    private final HealthTracker tracker = new HealthTracker("b1",
            HealthCheckConfig.builder().healthyThreshold(2).unhealthyThreshold(3).build());

    private void record(ProbeResult... results) {
        for (ProbeResult r : results) {
            tracker.record(r, 1_000, 0);
        }
    }

    @Test
    void fallsAfterUnhealthyThresholdFailedChecksInARow() {
        record(FAIL, FAIL);
        assertThat(tracker.isHealthy()).isTrue();

        record(FAIL);

        assertThat(tracker.isHealthy()).isFalse();
    }

    @Test
    void risesAfterHealthyThresholdPassedChecksInARow() {
        record(FAIL, FAIL, FAIL, PASS);
        assertThat(tracker.isHealthy()).isFalse();

        record(PASS);

        assertThat(tracker.isHealthy()).isTrue();
    }

    @Test
    void aSingleOddResultNeverFlipsTheVerdict() {
        record(FAIL, FAIL, PASS, FAIL, FAIL, PASS);
        assertThat(tracker.isHealthy()).isTrue();

        record(FAIL, FAIL, FAIL, PASS, FAIL, PASS);
        assertThat(tracker.isHealthy()).isFalse();
    }

    @Test
    void canStartUnhealthyUntilProvenHealthy() {
        HealthTracker cautious = new HealthTracker("b", HealthCheckConfig.builder().startHealthy(false).build());
        assertThat(cautious.isHealthy()).isFalse();

        cautious.record(PASS, 0, 0);
        cautious.record(PASS, 0, 0);

        assertThat(cautious.isHealthy()).isTrue();
    }

    @Test
    void statusKeepsTheLastCheck() {
        tracker.record(FAIL, 42, 7);

        HealthStatus status = tracker.status();

        assertThat(status.lastResult()).isEqualTo(FAIL);
        assertThat(status.lastLatencyNanos()).isEqualTo(42);
        assertThat(status.lastCheckAtNanos()).isEqualTo(7);
        assertThat(status.checks()).isEqualTo(1);
        assertThat(status.consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void listenersHearOnlyFlips() {
        List<Boolean> heard = new ArrayList<>();
        tracker.addListener((name, status) -> heard.add(status.healthy()));
        tracker.addListener((name, status) -> {
            throw new IllegalStateException("contained");
        });

        record(FAIL, FAIL, FAIL, FAIL, PASS, PASS, PASS);

        assertThat(heard).containsExactly(false, true);
    }
}
