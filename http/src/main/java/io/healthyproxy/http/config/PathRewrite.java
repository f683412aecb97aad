package io.healthyproxy.http.config;

import java.util.Objects;

/**
 * A route's rewrite of the path before it goes to the backend: the leading {@code from} (on a segment boundary)
 * is replaced by {@code to}; the rest of the path and the query are kept.
 * <ul>
 *   <li>{@code stripPrefix: /v1} is {@code /v1} → {@code /}: {@code /v1/users?id=7} → {@code /users?id=7},
 *       {@code /v1} → {@code /}.</li>
 *   <li>{@code prefixRewrite: /api/v2/} (Envoy's {@code prefix_rewrite}) replaces the route's own
 *       {@code pathPrefix} or {@code path}: with {@code pathPrefix: /v2/}, {@code /v2/users} →
 *       {@code /api/v2/users}.</li>
 * </ul>
 * A slash is never doubled nor lost at the seam: {@code from} and {@code to} are joined as paths.
 *
 * @param from the prefix taken off, starting with {@code /}
 * @param to   what takes its place, starting with {@code /}
 */
public record PathRewrite(String from, String to) {

    public PathRewrite {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        check("stripPrefix", from);
        check("prefixRewrite", to);
    }

    /** Takes {@code prefix} off the front of the path. */
    public static PathRewrite stripPrefix(String prefix) {
        return new PathRewrite(prefix, "/");
    }

    private static void check(String field, String path) {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f || c == '?' || c == '#')) {
            throw new IllegalArgumentException(field + ": '" + path + "' (expected: a path starting with /, "
                    + "without a query, spaces or control characters)");
        }
    }

    /**
     * The request target (path and query) as the backend gets it. One that does not start with {@code from} on
     * a segment boundary (a route's match makes sure every one it takes does) is left as it is.
     */
    public String apply(String target) {
        int queryAt = queryStart(target);
        String path = target.substring(0, queryAt);
        String base = trimSlash(from);
        if (!path.startsWith(base) || path.length() > base.length() && path.charAt(base.length()) != '/') {
            return target;
        }
        String rest = path.substring(base.length());
        String rewritten = rest.isEmpty() ? to : trimSlash(to) + rest;
        return (rewritten.isEmpty() ? "/" : rewritten) + target.substring(queryAt);
    }

    private static String trimSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static int queryStart(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return target.length();
    }
}
