package io.healthyproxy.app.config;

import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.SlownessConfig;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.internal.Require;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RetryPolicy;
import io.healthyproxy.http.config.StatusCodes;
import io.healthyproxy.http.config.Timeouts;
import java.time.Duration;
import java.util.Optional;

/**
 * The sections a cluster may set, as read at one level: the top level's are every cluster's defaults, a
 * cluster's override them key by key. Each is read over the level above, so a cluster's
 * {@code breaker: { failureThreshold: 3 }} keeps every other breaker key of the top level. A section with a
 * problem (reported) keeps the value above, which is then never used: a config with problems is not built.
 */
record ClusterSettings(
        Balancing balancing,
        NoBackendPolicy whenNoneAdmits,
        CircuitBreakerConfig breaker,
        boolean halfOpenOnHealthRecovery,
        HttpHealthCheck healthCheck,
        StatusCodes failureStatuses,
        Timeouts timeouts,
        RetryPolicy retries,
        Duration slowStart,
        SlownessConfig slowness) {

    /** What the top level starts from: the config classes' defaults. */
    static final ClusterSettings DEFAULTS = new ClusterSettings(Balancing.ROUND_ROBIN, NoBackendPolicy.LAST_RESORT,
            ProxyConfig.DEFAULT_BREAKER, true, HttpHealthCheck.defaults(), StatusCodes.GATEWAY_ERRORS, Timeouts.DEFAULTS,
            RetryPolicy.DEFAULTS, Duration.ZERO, SlownessConfig.DEFAULTS);

    /** Reads these sections from {@code mapping} (the top level or a cluster) over {@code base}. */
    static ClusterSettings read(YamlMapping mapping, ClusterSettings base, Level level) {
        Balancing balancing = mapping.readOr("balancing", ConfigValues.choice(Balancing.class), base.balancing);
        NoBackendPolicy whenNoneAdmits = mapping.readOr("whenNoneAdmits", ConfigValues.choice(NoBackendPolicy.class),
                base.whenNoneAdmits);
        BreakerSection.Settings above = new BreakerSection.Settings(base.breaker, base.halfOpenOnHealthRecovery);
        BreakerSection.Settings breaker = mapping.readOr("breaker", v -> v.mapping(m -> BreakerSection.read(m, above)),
                above);
        return new ClusterSettings(
                balancing,
                whenNoneAdmits,
                breaker.config(),
                breaker.halfOpenOnHealthRecovery(),
                mapping.readOr("healthCheck", v -> v.mapping(m -> HealthCheckSection.read(m, base.healthCheck)),
                        base.healthCheck),
                mapping.readOr("failureStatuses", ConfigValues::statusCodes, base.failureStatuses),
                mapping.readOr("timeouts", v -> v.mapping(m -> TimeoutsSection.read(m, base.timeouts, level)),
                        base.timeouts),
                mapping.readOr("retries", v -> v.mapping(m -> RetriesSection.read(m, base.retries, level)),
                        base.retries),
                mapping.readOr("slowStart", ClusterSettings::slowStart, base.slowStart),
                mapping.readOr("slowness", v -> v.mapping(m -> SlownessSection.read(m, base.slowness)),
                        base.slowness));
    }

    private static Optional<Duration> slowStart(YamlValue value) {
        return ConfigValues.duration(value).flatMap(d -> {
            try {
                return Optional.of(Require.notNegative("slowStart", d));
            } catch (IllegalArgumentException e) {
                value.reject(e);
                return Optional.empty();
            }
        });
    }

    void applyTo(ProxyConfig.Builder b) {
        b.balancing(balancing).whenNoneAdmits(whenNoneAdmits).breaker(breaker)
                .halfOpenOnHealthRecovery(halfOpenOnHealthRecovery).healthCheck(healthCheck)
                .failureStatuses(failureStatuses).timeouts(timeouts).retries(retries).slowStart(slowStart).slowness(slowness);
    }

    ClusterConfig.Builder applyTo(ClusterConfig.Builder b) {
        return b.balancing(balancing).whenNoneAdmits(whenNoneAdmits).breaker(breaker)
                .halfOpenOnHealthRecovery(halfOpenOnHealthRecovery).healthCheck(healthCheck)
                .failureStatuses(failureStatuses).timeouts(timeouts).retries(retries).slowStart(slowStart)
                .slowness(slowness);
    }
}
