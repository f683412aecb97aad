package io.healthyproxy.http.routing;

import io.healthyproxy.http.config.HeaderMatch;
import io.healthyproxy.http.config.RouteConfig;
import java.util.function.Function;

/**
 * One route in a {@link RouteTable}: its place in the config (lower wins) and the conditions an index cannot
 * look up, method and headers, checked on each candidate the index finds.
 */
final class RouteEntry<R> {

    final int position;
    final R target;
    /** Null: any method. */
    private final String[] methods;
    private final HeaderMatch[] headers;

    RouteEntry(int position, RouteConfig route, R target) {
        this.position = position;
        this.target = target;
        this.methods = route.match().methods().isEmpty() ? null : route.match().methods().toArray(new String[0]);
        this.headers = route.match().headers().toArray(new HeaderMatch[0]);
    }

    boolean accepts(String method, Function<String, String> headerValues) {
        if (methods != null && !contains(methods, method)) {
            return false;
        }
        for (HeaderMatch header : headers) {
            if (!header.matches(headerValues.apply(header.name()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(String[] methods, String method) {
        for (String m : methods) {
            if (m.equals(method)) {
                return true;
            }
        }
        return false;
    }

    /** The first of {@code entries} (in position order) before {@code bound} that accepts the request, or null. */
    static <R> RouteEntry<R> first(RouteEntry<R>[] entries, int bound, String method,
            Function<String, String> headerValues) {
        for (RouteEntry<R> entry : entries) {
            if (entry.position >= bound) {
                return null;
            }
            if (entry.accepts(method, headerValues)) {
                return entry;
            }
        }
        return null;
    }
}
