package io.healthyproxy.http.config;

import java.util.Objects;

/**
 * The paths a route is for: any, one exactly ({@code path: /health}), or a prefix on segment boundaries
 * ({@code pathPrefix: /v1}). A prefix matches the path itself and every path below it: {@code /v1} matches
 * {@code /v1}, {@code /v1/} and {@code /v1/users}, never {@code /v10}; a prefix ending in {@code /} matches only
 * below it ({@code /v1/} does not match {@code /v1}). {@code pathPrefix: /} is every path. Paths compare case
 * by case, byte for byte, as Envoy does by default, without the query; they are not decoded or normalized
 * ({@code /v1/../admin} starts with {@code /v1}), so a route is not an access control.
 *
 * @param kind  any, exact or prefix
 * @param value the path or prefix; {@code /} for any
 */
public record PathMatch(Kind kind, String value) {

    /** How a path is matched. */
    public enum Kind { ANY, EXACT, PREFIX }

    public static final PathMatch ANY = new PathMatch(Kind.ANY, "/");

    public PathMatch {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        String field = kind == Kind.EXACT ? "path" : "pathPrefix";
        if (!value.startsWith("/")) {
            throw new IllegalArgumentException(field + ": '" + value + "' (expected: a path starting with /)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '?' || c == '#' || c >= 0x7f) {
                throw new IllegalArgumentException(field + ": '" + value + "' (expected: a path without a query, "
                        + "spaces or control characters; non-ASCII percent-encoded)");
            }
        }
        if (kind == Kind.ANY && !value.equals("/") || kind == Kind.PREFIX && value.equals("/")) {
            throw new IllegalArgumentException(field + ": '" + value + "' (expected: any path as PathMatch.ANY)");
        }
    }

    public static PathMatch exact(String path) {
        return new PathMatch(Kind.EXACT, path);
    }

    /** Paths on or below {@code prefix}; {@code /} is {@link #ANY}. */
    public static PathMatch prefix(String prefix) {
        return "/".equals(prefix) ? ANY : new PathMatch(Kind.PREFIX, prefix);
    }

    /** Whether {@code path} (without its query) is matched. */
    public boolean matches(String path) {
        return switch (kind) {
            case ANY -> true;
            case EXACT -> path.equals(value);
            case PREFIX -> below(path, value);
        };
    }

    /** Whether every path {@code other} matches is matched by this one too. */
    public boolean covers(PathMatch other) {
        return switch (kind) {
            case ANY -> true;
            case EXACT -> other.kind == Kind.EXACT && other.value.equals(value);
            // Every path below other's prefix is below this prefix exactly when other's prefix itself is.
            case PREFIX -> other.kind != Kind.ANY && below(other.value, value);
        };
    }

    /** Whether {@code path} is {@code prefix} or below it, on a segment boundary. */
    private static boolean below(String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        return prefix.endsWith("/") || path.length() == prefix.length() || path.charAt(prefix.length()) == '/';
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ANY -> "any path";
            case EXACT -> "path " + value;
            case PREFIX -> "pathPrefix " + value;
        };
    }
}
