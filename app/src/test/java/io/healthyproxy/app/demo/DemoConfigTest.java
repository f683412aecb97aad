package io.healthyproxy.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.SlownessConfig;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

    private static ProxyConfig at(double pace) {
        return DemoConfig.atPace(pace).backend("127.0.0.1:9101").build();
    }

    @Test
    void theRealDemoRunsEveryDefaultOfServe() {
        ProxyConfig demo = at(1.0);
        ProxyConfig serve = ProxyConfig.builder().backend("127.0.0.1:9101").build();

        assertThat(demo).isEqualTo(serve);
        assertThat(demo.breaker()).isEqualTo(ProxyConfig.DEFAULT_BREAKER);
        assertThat(demo.halfOpenOnHealthRecovery()).isTrue();
    }

    @Test
    void aFasterStoryScalesEveryDurationOfItsClockByTheSameFactorFromTheDefaults() {
        ProxyConfig fast = at(0.5);
        ProxyConfig serve = at(1.0);

        assertThat(fast.breaker().openDuration()).isEqualTo(half(serve.breaker().openDuration()));
        assertThat(fast.breaker().maxOpenDuration()).isEqualTo(half(serve.breaker().maxOpenDuration()));
        assertThat(fast.breaker().backoffResetAfter()).isEqualTo(half(serve.breaker().backoffResetAfter()));
        assertThat(fast.breaker().trialTimeout()).isEqualTo(half(serve.breaker().trialTimeout()));
        assertThat(fast.healthCheck().schedule().interval()).isEqualTo(half(serve.healthCheck().schedule().interval()));
        assertThat(fast.healthCheck().schedule().unhealthyInterval())
                .isEqualTo(half(serve.healthCheck().schedule().unhealthyInterval()));
        assertThat(fast.healthCheck().schedule().timeout()).isEqualTo(half(serve.healthCheck().schedule().timeout()));
        assertThat(fast.slowness().interval()).isEqualTo(half(SlownessConfig.DEFAULTS.interval()));
        assertThat(fast.slowness().baseEjection()).isEqualTo(half(SlownessConfig.DEFAULTS.baseEjection()));
        assertThat(fast.slowness().maxEjection()).isEqualTo(half(SlownessConfig.DEFAULTS.maxEjection()));
    }

    @Test
    void aFasterStoryChangesNothingButTheClock() {
        ProxyConfig fast = at(0.5);
        ProxyConfig serve = at(1.0);

        assertThat(fast.breaker().toBuilder().openDuration(serve.breaker().openDuration())
                .maxOpenDuration(serve.breaker().maxOpenDuration()).backoffResetAfter(serve.breaker().backoffResetAfter())
                .trialTimeout(serve.breaker().trialTimeout()).build()).isEqualTo(serve.breaker());
        assertThat(fast.healthCheck().withSchedule(serve.healthCheck().schedule())).isEqualTo(HttpHealthCheck.defaults());
        assertThat(fast.slowness().window()).isEqualTo(SlownessConfig.DEFAULTS.window());
        assertThat(fast.slowness().minExcess()).isEqualTo(SlownessConfig.DEFAULTS.minExcess());
        assertThat(fast.timeouts()).isEqualTo(serve.timeouts());
        assertThat(fast.retries()).isEqualTo(serve.retries());
        assertThat(fast.failureStatuses()).isEqualTo(serve.failureStatuses());
        assertThat(fast.whenNoneAdmits()).isEqualTo(serve.whenNoneAdmits());
    }

    private static Duration half(Duration d) {
        return d.dividedBy(2);
    }
}
