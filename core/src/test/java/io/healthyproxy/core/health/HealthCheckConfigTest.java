package io.healthyproxy.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthCheckConfigTest {

    @Test
    void defaultsAreDocumentedConstants() {
        HealthCheckConfig c = HealthCheckConfig.defaults();

        assertThat(c.interval()).isEqualTo(HealthCheckConfig.DEFAULT_INTERVAL);
        assertThat(c.unhealthyInterval()).isEqualTo(HealthCheckConfig.DEFAULT_UNHEALTHY_INTERVAL);
        assertThat(c.timeout()).isEqualTo(HealthCheckConfig.DEFAULT_TIMEOUT);
        assertThat(c.healthyThreshold()).isEqualTo(2);
        assertThat(c.unhealthyThreshold()).isEqualTo(3);
        assertThat(c.startHealthy()).isTrue();
    }

    @Test
    void settersNameTheFieldAndWhatWasExpected() {
        assertThatThrownBy(() -> HealthCheckConfig.builder().interval(Duration.ZERO))
                .hasMessage("interval: 0ms (expected: > 0)");
        assertThatThrownBy(() -> HealthCheckConfig.builder().healthyThreshold(0))
                .hasMessage("healthyThreshold: 0 (expected: > 0)");
        assertThatThrownBy(() -> HealthCheckConfig.builder().jitter(0.7))
                .hasMessage("jitter: 0.7 (expected: 0.0..0.5)");
    }
}
