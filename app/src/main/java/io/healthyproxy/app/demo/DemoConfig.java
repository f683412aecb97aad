package io.healthyproxy.app.demo;

import io.healthyproxy.core.SlownessConfig;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import java.time.Duration;

/**
 * The demo's proxy settings: {@code serve}'s defaults, every one of them, so the story the demo tells is what
 * {@code serve} does. At pace 1 (the real demo) nothing is changed.
 *
 * <p>A faster pace (the demo's test runs the story at 0.15) shrinks, by that one factor and from the defaults, the
 * durations that set the story's clock: how long a circuit stays open and how its backoff grows and resets, how
 * long a trial may take, how often and how patiently backends are checked, how often slowness is judged and how
 * long an ejection lasts. Left alone are the durations that are measured against the backends' real answers, which
 * a faster story does not make faster: the request timeouts (never reached in the story: hedging answers for the
 * frozen backend), the hedging delay's floor, and the slowness detector's window and margin (a shorter window at
 * the same request rate would hold too few answers to judge).
 */
final class DemoConfig {

    private DemoConfig() {
    }

    /** The defaults, with the story's clock scaled by {@code pace}; ports and backends are the caller's. */
    static ProxyConfig.Builder atPace(double pace) {
        ProxyConfig.Builder config = ProxyConfig.builder();
        if (pace == 1.0) {
            return config;
        }
        CircuitBreakerConfig breaker = ProxyConfig.DEFAULT_BREAKER;
        HealthCheckConfig checks = HttpHealthCheck.defaults().schedule();
        SlownessConfig slowness = SlownessConfig.DEFAULTS;
        return config
                .breaker(breaker.toBuilder()
                        .openDuration(scaled(breaker.openDuration(), pace))
                        .maxOpenDuration(scaled(breaker.maxOpenDuration(), pace))
                        .backoffResetAfter(scaled(breaker.backoffResetAfter(), pace))
                        .trialTimeout(scaled(breaker.trialTimeout(), pace)).build())
                .healthCheck(HttpHealthCheck.defaults().withSchedule(checks.toBuilder()
                        .interval(scaled(checks.interval(), pace))
                        .unhealthyInterval(scaled(checks.unhealthyInterval(), pace))
                        .timeout(scaled(checks.timeout(), pace)).build()))
                .slowness(slowness.toBuilder().interval(scaled(slowness.interval(), pace))
                        .baseEjection(scaled(slowness.baseEjection(), pace))
                        .maxEjection(scaled(slowness.maxEjection(), pace)).build());
    }

    /** A time of the story at {@code pace}: the script's moments and the proxy's clock scale alike. */
    static Duration scaled(Duration d, double pace) {
        return Duration.ofNanos((long) (d.toNanos() * pace));
    }
}
