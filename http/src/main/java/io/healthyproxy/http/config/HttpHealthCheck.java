package io.healthyproxy.http.config;

import io.healthyproxy.core.health.HealthCheckConfig;
import java.util.Objects;

/**
 * How each backend is actively checked over HTTP.
 *
 * @param enabled  whether checks run at all (default true)
 * @param method   request method (default {@code GET})
 * @param path     request path (default {@code /health})
 * @param expect   statuses that pass (default {@code 2xx})
 * @param schedule interval, timeout, jitter, rise/fall
 */
public record HttpHealthCheck(boolean enabled, String method, String path, StatusCodes expect,
        HealthCheckConfig schedule) {

    public static final String DEFAULT_PATH = "/health";

    public HttpHealthCheck {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(schedule, "schedule");
        if (!method.matches("[A-Z]+")) {
            throw new IllegalArgumentException("healthCheck.method: '" + method + "' (expected: an HTTP method, e.g. GET)");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("healthCheck.path: '" + path + "' (expected: a path starting with /)");
        }
        if (expect.isEmpty()) {
            throw new IllegalArgumentException("healthCheck.expect: '' (expected: at least one status)");
        }
    }

    public static HttpHealthCheck defaults() {
        return new HttpHealthCheck(true, "GET", DEFAULT_PATH, StatusCodes.SUCCESS, HealthCheckConfig.defaults());
    }

    public HttpHealthCheck withPath(String path) {
        return new HttpHealthCheck(enabled, method, path, expect, schedule);
    }

    public HttpHealthCheck withSchedule(HealthCheckConfig schedule) {
        return new HttpHealthCheck(enabled, method, path, expect, schedule);
    }
}
