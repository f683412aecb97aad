package io.healthyproxy.http.routing;

import io.healthyproxy.http.config.HostPattern;
import io.healthyproxy.http.config.RouteConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The routes of a config, indexed so that a request finds its route in a few lookups however many routes
 * there are: the first route, in config order, whose match ({@link io.healthyproxy.http.config.RouteMatch})
 * the request meets, exactly as trying them one by one would, but without doing so.
 *
 * <pre>{@code
 * RouteTable<ProxyRoute> table = RouteTable.of(config.routes(), route -> new ProxyRoute(route, pools.get(route.cluster())));
 * ProxyRoute route = table.match(request.headers().get(HOST), request.uri(), request.method().name(),
 *         request.headers()::get);
 * if (route == null) {
 *     return notFound();                        // no route takes it
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #match} takes no lock and allocates nothing.
 *
 * <p>Implementation notes: routes are filed by host: exact hosts in one table, wildcards ({@code *.example.com})
 * in another under their domain, routes for any host in a bucket of their own; each bucket indexes its routes
 * by path ({@link PathIndex}). A request looks up its host (lower-cased and without its port as it is read,
 * from the end, so that every domain it belongs to is one more lookup on the way), then asks each bucket it
 * found, wildcards for every enclosing domain included, for its best route; the lowest position among those
 * answers wins, so the order of the config is kept across buckets. A bucket whose routes all come after the
 * best so far is not searched. Method and header conditions are checked only on the candidates the index
 * finds.
 *
 * @param <R> what a route is matched to: the {@link RouteConfig} itself, or the caller's own object for it
 */
public final class RouteTable<R> {

    private final int size;
    private final TextTable<PathIndex<R>> exactHosts;
    private final TextTable<PathIndex<R>> wildcardHosts;
    private final boolean anyWildcards;
    private final PathIndex<R> anyHost;

    private RouteTable(int size, Map<String, PathIndex<R>> exact, Map<String, PathIndex<R>> wildcards,
            PathIndex<R> anyHost) {
        this.size = size;
        this.exactHosts = TextTable.of(exact, true);
        this.wildcardHosts = TextTable.of(wildcards, true);
        this.anyWildcards = !wildcards.isEmpty();
        this.anyHost = anyHost;
    }

    /** A table that matches requests to the routes themselves. */
    public static RouteTable<RouteConfig> of(List<RouteConfig> routes) {
        return of(routes, Function.identity());
    }

    /**
     * A table that matches requests to {@code target} of their route, made once per route here: the caller's
     * per-route state (its cluster's pool, its rewrite) comes back from {@link #match} directly.
     */
    public static <R> RouteTable<R> of(List<RouteConfig> routes, Function<? super RouteConfig, ? extends R> target) {
        Map<String, PathIndex.Builder<R>> exact = new LinkedHashMap<>();
        Map<String, PathIndex.Builder<R>> wildcards = new LinkedHashMap<>();
        PathIndex.Builder<R> anyHost = new PathIndex.Builder<>();
        for (int position = 0; position < routes.size(); position++) {
            RouteConfig route = routes.get(position);
            RouteEntry<R> entry = new RouteEntry<>(position, route, target.apply(route));
            List<HostPattern> hosts = route.match().hosts();
            if (hosts.isEmpty()) {
                anyHost.add(route.match().path(), entry);
            }
            for (HostPattern host : hosts) {
                (host.wildcard() ? wildcards : exact).computeIfAbsent(host.name(), h -> new PathIndex.Builder<>())
                        .add(route.match().path(), entry);
            }
        }
        return new RouteTable<>(routes.size(), built(exact), built(wildcards), anyHost.build());
    }

    private static <R> Map<String, PathIndex<R>> built(Map<String, PathIndex.Builder<R>> builders) {
        Map<String, PathIndex<R>> result = new LinkedHashMap<>();
        builders.forEach((host, builder) -> result.put(host, builder.build()));
        return result;
    }

    /** How many routes the table holds. */
    public int size() {
        return size;
    }

    /**
     * The target of the first route that takes the request, or null when none does.
     *
     * @param host    the {@code Host} header as sent (any case, with or without a port), or null
     * @param path    the request target in origin form ({@code /v1/users?id=7}); the query is not matched
     * @param method  the request method, e.g. {@code GET}
     * @param headers the request's first value of a header by lower-case name, or null when it has none;
     *                asked only about headers that routes have conditions on (Netty: {@code headers::get})
     */
    public R match(String host, String path, String method, Function<String, String> headers) {
        Objects.requireNonNull(path, "path");
        int pathEnd = queryStart(path);
        RouteEntry<R> best = null;
        int bound = Integer.MAX_VALUE;
        if (host != null) {
            int hostEnd = hostEnd(host);
            int h = 0;
            // From the end: at each dot, h is the hash of the domain after it, a wildcard's key.
            for (int i = hostEnd - 1; i >= 0; i--) {
                char c = TextTable.lower(host.charAt(i));
                if (c == '.' && i > 0 && anyWildcards) {
                    best = better(best, wildcardHosts.get(host, i + 1, hostEnd, h, true), path, pathEnd, method,
                            headers, bound);
                    bound = best == null ? bound : best.position;
                }
                h = 31 * h + c;
            }
            best = better(best, exactHosts.get(host, 0, hostEnd, h, true), path, pathEnd, method, headers, bound);
            bound = best == null ? bound : best.position;
        }
        best = better(best, anyHost, path, pathEnd, method, headers, bound);
        return best == null ? null : best.target;
    }

    private static <R> RouteEntry<R> better(RouteEntry<R> best, PathIndex<R> bucket, String path, int pathEnd,
            String method, Function<String, String> headers, int bound) {
        if (bucket == null) {
            return best;
        }
        RouteEntry<R> found = bucket.first(path, pathEnd, method, headers, bound);
        return found != null ? found : best;
    }

    /** Where the host name ends: before the port, and before a final dot. */
    private static int hostEnd(String host) {
        int end = host.length();
        if (!host.isEmpty() && host.charAt(0) == '[') {
            int bracket = host.indexOf(']');
            end = bracket < 0 ? end : bracket + 1;
        } else {
            int colon = host.indexOf(':');
            end = colon < 0 ? end : colon;
        }
        return end > 0 && host.charAt(end - 1) == '.' ? end - 1 : end;
    }

    private static int queryStart(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return path.length();
    }
}
