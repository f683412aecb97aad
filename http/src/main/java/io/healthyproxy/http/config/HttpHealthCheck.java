package io.healthyproxy.http.config;

import io.healthyproxy.core.health.HealthCheckConfig;
import java.util.Objects;

/**
 * How each backend is actively checked: an HTTP request to a health path (the default), or the standard gRPC
 * health check, {@code grpc.health.v1.Health/Check}, which gRPC servers implement (grpc-java's
 * {@code HealthStatusManager}, grpc-go's {@code health} package): it passes only when the answer is SERVING.
 * Both go over the cluster's protocol (HTTP/1.1 or HTTP/2, TLS if the cluster has it).
 *
 * @param enabled  whether checks run at all (default true)
 * @param method   request method (default {@code GET})
 * @param path     request path (default {@code /health})
 * @param expect   statuses that pass (default {@code 2xx})
 * @param schedule interval, timeout, jitter, rise/fall
 * @param type     {@link Type#HTTP} (default) or {@link Type#GRPC}; a gRPC check ignores method, path and expect
 * @param service  the service a gRPC check asks about (default {@code ""}: the server as a whole)
 */
public record HttpHealthCheck(boolean enabled, String method, String path, StatusCodes expect,
        HealthCheckConfig schedule, Type type, String service) {

    /** What a check sends. */
    public enum Type {
        /** {@code method path}, passing on a status in {@code expect}. */
        HTTP,
        /** {@code grpc.health.v1.Health/Check} for {@code service}, passing on SERVING. */
        GRPC
    }

    public static final String DEFAULT_PATH = "/health";

    public HttpHealthCheck {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(service, "service");
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

    /** An HTTP check. */
    public HttpHealthCheck(boolean enabled, String method, String path, StatusCodes expect, HealthCheckConfig schedule) {
        this(enabled, method, path, expect, schedule, Type.HTTP, "");
    }

    public static HttpHealthCheck defaults() {
        return new HttpHealthCheck(true, "GET", DEFAULT_PATH, StatusCodes.SUCCESS, HealthCheckConfig.defaults());
    }

    public HttpHealthCheck withPath(String path) {
        return new HttpHealthCheck(enabled, method, path, expect, schedule, type, service);
    }

    public HttpHealthCheck withSchedule(HealthCheckConfig schedule) {
        return new HttpHealthCheck(enabled, method, path, expect, schedule, type, service);
    }

    /** The standard gRPC health check for {@code service} ({@code ""}: the whole server), on this schedule. */
    public HttpHealthCheck withGrpc(String service) {
        return new HttpHealthCheck(enabled, method, path, expect, schedule, Type.GRPC, service);
    }
}
