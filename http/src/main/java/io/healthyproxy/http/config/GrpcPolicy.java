package io.healthyproxy.http.config;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How a cluster's gRPC calls (requests with {@code content-type: application/grpc...}) are judged and retried.
 * A gRPC call's outcome is its {@code grpc-status}, not its HTTP status (always 200 for an answered call): a
 * status in {@code failureCodes} counts against the backend; any other, application errors such as NOT_FOUND
 * or INVALID_ARGUMENT included, is a success for the breaker, since the backend did answer.
 *
 * <p>A gRPC call is a POST, so it is repeated only when no backend received it (a refused connection, a stream
 * the backend's GOAWAY said it never processed) — unless its method is in {@code retryableMethods}: such calls
 * are buffered (up to {@code limits.maxBufferedBodyBytes}), retried and hedged as an idempotent request would
 * be. gRPC's own retry policy (gRFC A6) likewise leaves retries to the service owner's word. Only unary methods
 * belong there: a streaming call's body is held until the client ends it.
 *
 * @param failureCodes     grpc-status codes that count against the backend (default {@code [14]}, UNAVAILABLE;
 *                         {@code 8} RESOURCE_EXHAUSTED and {@code 4} DEADLINE_EXCEEDED are the usual additions)
 * @param retryableMethods full method names, {@code /package.Service/Method}, that may be sent twice (default none)
 */
public record GrpcPolicy(Set<Integer> failureCodes, Set<String> retryableMethods) {

    /** grpc-status UNAVAILABLE: the service could not be reached or is shutting down. */
    public static final int UNAVAILABLE = 14;
    public static final GrpcPolicy DEFAULTS = new GrpcPolicy(Set.of(UNAVAILABLE), Set.of());
    private static final Pattern METHOD = Pattern.compile("/[^/\\s]+/[^/\\s]+");

    public GrpcPolicy {
        failureCodes = Set.copyOf(new TreeSet<>(Objects.requireNonNull(failureCodes, "failureCodes")));
        retryableMethods = Set.copyOf(Objects.requireNonNull(retryableMethods, "retryableMethods"));
        for (int code : failureCodes) {
            if (code < 1 || code > 16) {
                throw new IllegalArgumentException("grpc.failureCodes: " + code
                        + " (expected: gRPC status codes 1 to 16, e.g. 14 for UNAVAILABLE; 0 is OK)");
            }
        }
        for (String method : retryableMethods) {
            if (!METHOD.matcher(method).matches()) {
                throw new IllegalArgumentException("grpc.retryableMethods: '" + method
                        + "' (expected: a full method name, e.g. /pkg.Service/Get)");
            }
        }
    }

    /** Whether a call that ended with {@code grpcStatus} counts against its backend. */
    public boolean isFailure(int grpcStatus) {
        return failureCodes.contains(grpcStatus);
    }

    /** Whether the call to {@code path} ({@code /package.Service/Method}) may be sent twice. */
    public boolean isRetryable(String path) {
        return !retryableMethods.isEmpty() && retryableMethods.contains(path);
    }
}
