package io.healthyproxy.app.config;

import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.StatusCodes;
import java.util.Optional;

/**
 * {@code healthCheck}: the request ({@code enabled}, {@code type}: {@code http} or {@code grpc}, {@code method},
 * {@code path}, {@code expect} for HTTP checks, {@code service} for gRPC ones) and its
 * schedule ({@code interval}, {@code unhealthyInterval}, {@code timeout}, {@code jitter},
 * {@code healthyThreshold}, {@code unhealthyThreshold}, {@code startHealthy}) in one flat mapping; missing keys
 * keep those of the level above: a cluster's those of the top level, the top level's
 * {@link HttpHealthCheck#defaults()}.
 */
final class HealthCheckSection {

    private HealthCheckSection() {
    }

    static Optional<HttpHealthCheck> read(YamlMapping check, HttpHealthCheck defaults) {
        boolean enabled = check.readOr("enabled", YamlValue::bool, defaults.enabled());
        String method = check.readOr("method", YamlValue::string, defaults.method());
        String path = check.readOr("path", YamlValue::string, defaults.path());
        StatusCodes expect = check.readOr("expect", ConfigValues::statusCodes, defaults.expect());
        HttpHealthCheck.Type type = check.readOr("type", ConfigValues.choice(HttpHealthCheck.Type.class), defaults.type());
        String service = check.readOr("service", YamlValue::string, defaults.service());
        HealthCheckConfig.Builder schedule = defaults.schedule().toBuilder();
        check.readInto("interval", ConfigValues::duration, schedule::interval);
        check.readInto("unhealthyInterval", ConfigValues::duration, schedule::unhealthyInterval);
        check.readInto("timeout", ConfigValues::duration, schedule::timeout);
        check.readInto("jitter", YamlValue::number, schedule::jitter);
        check.readInto("healthyThreshold", YamlValue::integer, schedule::healthyThreshold);
        check.readInto("unhealthyThreshold", YamlValue::integer, schedule::unhealthyThreshold);
        check.readInto("startHealthy", YamlValue::bool, schedule::startHealthy);
        return check.build(() -> new HttpHealthCheck(enabled, method, path, expect, schedule.build(), type, service));
    }
}
