package io.healthyproxy.http.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Which requests a route takes: every condition given must hold. No hosts means any host, {@link PathMatch#ANY}
 * any path, no methods any method, no headers no condition on headers.
 *
 * <pre>{@code
 * RouteMatch api = RouteMatch.builder().host("api.example.com").pathPrefix("/v1/").method("GET")
 *         .header(HeaderMatch.exact("x-canary", "1")).build();
 * }</pre>
 *
 * @param hosts   the host patterns, any of which may match (empty: any host)
 * @param path    the path condition
 * @param methods the methods, any of which may match, upper case as HTTP has them (empty: any method)
 * @param headers conditions on headers, all of which must hold, at most one per header
 */
public record RouteMatch(List<HostPattern> hosts, PathMatch path, List<String> methods, List<HeaderMatch> headers) {

    /** Every request. */
    public static final RouteMatch ALL = new RouteMatch(List.of(), PathMatch.ANY, List.of(), List.of());

    public RouteMatch {
        hosts = List.copyOf(new LinkedHashSet<>(hosts));
        Objects.requireNonNull(path, "path");
        methods = List.copyOf(new LinkedHashSet<>(methods));
        headers = List.copyOf(headers);
        methods.forEach(RouteMatch::checkMethod);
        Set<String> names = new LinkedHashSet<>();
        for (HeaderMatch header : headers) {
            if (!names.add(header.name())) {
                throw new IllegalArgumentException("headers: '" + header.name() + "' (expected: one condition per "
                        + "header; this one has two)");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private static String checkMethod(String method) {
        if (!method.matches("[A-Z]+")) {
            throw new IllegalArgumentException("method: '" + method + "' (expected: an HTTP method, e.g. GET)");
        }
        return method;
    }

    /**
     * Whether this matches a request: the definition of matching, one route at a time (a route table finds the
     * first match among many without calling this).
     *
     * @param host    the {@code Host} header as sent (any case, with or without a port), or null
     * @param path    the request target in origin form, with or without its query
     * @param method  the method, e.g. {@code GET}
     * @param headers the request's first value of a header by (lower-case) name, or null when it has none
     */
    public boolean matches(String host, String path, String method, Function<String, String> headers) {
        String normalized = HostPattern.normalize(host);
        if (!hosts.isEmpty() && (normalized == null || hosts.stream().noneMatch(h -> h.matches(normalized)))) {
            return false;
        }
        int query = path.length();
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '?' || path.charAt(i) == '#') {
                query = i;
                break;
            }
        }
        return this.path.matches(path.substring(0, query))
                && (methods.isEmpty() || methods.contains(method))
                && headers().stream().allMatch(h -> h.matches(headers.apply(h.name())));
    }

    /** Whether this matches every request. */
    public boolean isCatchAll() {
        return covers(this, ALL);
    }

    /**
     * Whether every request {@code later} matches is matched by this one too: then a route with {@code later}
     * placed after one with this can never be chosen. Conservative: it says yes only when each condition of
     * this one is implied by a condition of {@code later}.
     */
    public boolean covers(RouteMatch later) {
        return covers(this, later);
    }

    /**
     * The index of the first of {@code matches} before {@code index} that covers the one at {@code index}
     * (which can then never be chosen), or -1; null elements (matches that could not be read) are skipped.
     */
    public static int shadowing(List<RouteMatch> matches, int index) {
        RouteMatch later = matches.get(index);
        for (int i = 0; later != null && i < index; i++) {
            if (matches.get(i) != null && matches.get(i).covers(later)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean covers(RouteMatch earlier, RouteMatch later) {
        return coversHosts(earlier.hosts, later.hosts)
                && earlier.path.covers(later.path)
                && (earlier.methods.isEmpty() || !later.methods.isEmpty() && earlier.methods.containsAll(later.methods))
                && earlier.headers.stream().allMatch(needed -> later.headers.stream().anyMatch(h -> h.implies(needed)));
    }

    private static boolean coversHosts(List<HostPattern> earlier, List<HostPattern> later) {
        if (earlier.isEmpty()) {
            return true;
        }
        return !later.isEmpty() && later.stream().allMatch(h -> earlier.stream().anyMatch(e -> e.covers(h)));
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(hosts.isEmpty() ? "any host" : "host " + String.join("|", hosts.stream().map(String::valueOf).toList()));
        parts.add(path.toString());
        if (!methods.isEmpty()) {
            parts.add("method " + String.join("|", methods));
        }
        headers.forEach(h -> parts.add("header " + h));
        return String.join(", ", parts);
    }

    /** Builds a {@link RouteMatch}: every request until told otherwise. Not thread-safe. */
    public static final class Builder {
        private final List<HostPattern> hosts = new ArrayList<>();
        private PathMatch path = PathMatch.ANY;
        private final List<String> methods = new ArrayList<>();
        private final List<HeaderMatch> headers = new ArrayList<>();

        private Builder() {
        }

        /** {@code api.example.com} or {@code *.example.com}; repeat for several ({@code *} alone: any host). */
        public Builder host(String pattern) {
            if (!pattern.trim().equals("*")) {
                hosts.add(HostPattern.parse(pattern));
            }
            return this;
        }

        public Builder path(String path) {
            this.path = PathMatch.exact(path);
            return this;
        }

        public Builder pathPrefix(String prefix) {
            this.path = PathMatch.prefix(prefix);
            return this;
        }

        public Builder path(PathMatch path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Repeat for several. */
        public Builder method(String method) {
            methods.add(checkMethod(Objects.requireNonNull(method, "method")));
            return this;
        }

        public Builder header(HeaderMatch header) {
            headers.add(Objects.requireNonNull(header, "header"));
            return this;
        }

        public RouteMatch build() {
            return new RouteMatch(hosts, path, methods, headers);
        }
    }
}
