package io.healthyproxy.app.config;

import io.healthyproxy.http.config.GrpcPolicy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster's {@code grpc}: how its gRPC calls are judged and retried ({@link GrpcPolicy}). Status codes may be
 * written as numbers or as gRPC's names ({@code UNAVAILABLE}, {@code resource_exhausted}).
 *
 * <pre>
 * grpc:
 *   failureCodes: [UNAVAILABLE, RESOURCE_EXHAUSTED]       # default [UNAVAILABLE] (14)
 *   retryableMethods: [/shop.Catalog/GetItem]             # unary methods safe to send twice
 * </pre>
 */
final class GrpcSection {

    /** gRPC's status codes by number (grpc/status.proto). */
    private static final List<String> CODES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED");

    private GrpcSection() {
    }

    static Optional<GrpcPolicy> read(YamlMapping grpc) {
        GrpcPolicy d = GrpcPolicy.DEFAULTS;
        Set<Integer> failureCodes = grpc.readOr("failureCodes", GrpcSection::codes, d.failureCodes());
        Set<String> methods = grpc.readOr("retryableMethods", v -> v.oneOrList("full method names, e.g. /pkg.Service/Get")
                .map(Set::copyOf), d.retryableMethods());
        return grpc.build(() -> new GrpcPolicy(failureCodes, methods));
    }

    private static Optional<Set<Integer>> codes(YamlValue value) {
        String expected = "gRPC status codes, by number or name, e.g. [UNAVAILABLE, 8]";
        return value.oneOrList(expected).flatMap(texts -> {
            Set<Integer> codes = new LinkedHashSet<>();
            for (String text : texts) {
                String t = text.trim();
                int code = t.chars().allMatch(Character::isDigit) && !t.isEmpty()
                        ? Integer.parseInt(t) : CODES.indexOf(t.toUpperCase(Locale.ROOT));
                if (code < 0) {
                    value.reject("'" + text + "' (expected: " + expected + ")");
                    return Optional.empty();
                }
                codes.add(code);
            }
            return Optional.of(codes);
        });
    }
}
