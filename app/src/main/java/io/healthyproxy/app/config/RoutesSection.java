package io.healthyproxy.app.config;

import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.HeaderEdits;
import io.healthyproxy.http.config.PathMatch;
import io.healthyproxy.http.config.PathRewrite;
import io.healthyproxy.http.config.RetryPolicy;
import io.healthyproxy.http.config.RouteConfig;
import io.healthyproxy.http.config.RouteMatch;
import io.healthyproxy.http.config.Timeouts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code routes}: a list, tried in order, the first match wins. Each names its cluster, and may rewrite the
 * path, edit the request headers and set its own {@code timeouts} ({@code perTry}, {@code request}) and
 * {@code retries} ({@code maxAttempts}, {@code retryOn}, {@code hedging}) over its cluster's, key by key.
 *
 * <pre>
 * routes:
 *   - name: api-v1                          # optional; default routes[i]
 *     match: { host: api.example.com, pathPrefix: /v1/ }
 *     cluster: api
 *     stripPrefix: /v1                      # or prefixRewrite: /api/v1/ (replaces pathPrefix or path)
 *     requestHeaders: { set: { x-env: prod }, add: { via: edge }, remove: [x-debug] }
 *     timeouts: { perTry: 5s }
 *   - match: { pathPrefix: / }
 *     cluster: static
 * </pre>
 *
 * Besides each route's own problems, a route naming a cluster that is not in {@code clusters} and a route that
 * can never match (an earlier one takes every request it would) are reported at the route.
 */
final class RoutesSection {

    static final String EXPECTED = "a list of routes, e.g. [{ match: { pathPrefix: / }, cluster: api }]";

    private RoutesSection() {
    }

    /** Every route, or empty when any of them is wrong (each reported). */
    static Optional<List<RouteConfig>> read(YamlValue value, ClustersSection.Clusters clusters,
            ClusterSettings topLevel) {
        return value.list(EXPECTED).flatMap(elements -> {
            if (elements.isEmpty()) {
                value.reject("[] (expected: at least one route; with one cluster, no routes at all means every "
                        + "request goes to it)");
                return Optional.empty();
            }
            List<RouteConfig> routes = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<RouteMatch> matches = new ArrayList<>();
            for (int i = 0; i < elements.size(); i++) {
                int index = i;
                elements.get(i).mapping(m -> route(index, m, clusters, topLevel, names, matches)).ifPresent(routes::add);
                if (names.size() == i) {
                    // Not a mapping: nothing of it could be read.
                    names.add(null);
                    matches.add(null);
                }
            }
            boolean fine = checkedTogether(names, matches, elements);
            return fine && routes.size() == elements.size() ? Optional.of(routes) : Optional.empty();
        });
    }

    /**
     * Names unique, and no route dead behind an earlier one; each problem at the route it is about. Routes
     * with problems of their own take part as far as they could be read (null: not at all).
     */
    private static boolean checkedTogether(List<String> names, List<RouteMatch> matches, List<YamlValue> elements) {
        boolean fine = true;
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            YamlValue element = elements.get(i);
            Integer first = names.get(i) == null ? null : seen.putIfAbsent(names.get(i), element.line());
            if (first != null) {
                element.reject("name '" + names.get(i) + "' (expected: unique route names; the same is at line "
                        + first + ")");
                fine = false;
            }
            int shadowing = RouteMatch.shadowing(matches, i);
            if (shadowing >= 0) {
                element.reject("never matches: " + RouteConfig.defaultName(shadowing) + " (line "
                        + elements.get(shadowing).line() + ") takes every request it would (" + matches.get(i)
                        + "); put the narrower route first, or drop it");
                fine = false;
            }
        }
        return fine;
    }

    /** Reads one route; its name and match, as far as they could be read, go to {@code names} and {@code matches}. */
    private static Optional<RouteConfig> route(int index, YamlMapping route, ClustersSection.Clusters clusters,
            ClusterSettings topLevel, List<String> names, List<RouteMatch> matches) {
        Optional<YamlValue> nameValue = route.get("name");
        String name = nameValue.isEmpty() ? RouteConfig.defaultName(index) : nameValue.get().string().orElse(null);
        names.add(name);
        Optional<YamlValue> matchValue = route.get("match");
        RouteMatch match = matchValue.isEmpty() ? RouteMatch.ALL
                : matchValue.get().mapping(MatchSection::read).orElse(null);
        matches.add(match);
        Optional<ClusterConfig> cluster = route.require("cluster", "the name of a cluster, e.g. api")
                .flatMap(value -> cluster(value, clusters));
        Timeouts baseTimeouts = cluster.map(ClusterConfig::timeouts).orElse(topLevel.timeouts());
        RetryPolicy baseRetries = cluster.map(ClusterConfig::retries).orElse(topLevel.retries());
        Timeouts timeouts = route.readOr("timeouts",
                value -> value.mapping(m -> TimeoutsSection.read(m, baseTimeouts, Level.ROUTE)), baseTimeouts);
        RetryPolicy retries = route.readOr("retries",
                value -> value.mapping(m -> RetriesSection.read(m, baseRetries, Level.ROUTE)), baseRetries);
        Optional<PathRewrite> rewrite = rewrite(route, match == null ? RouteMatch.ALL : match);
        HeaderEdits edits = route.readOr("requestHeaders", value -> value.mapping(RoutesSection::headerEdits),
                HeaderEdits.NONE);
        return cluster.flatMap(c -> route.build(() -> RouteConfig.builder(c).name(name).match(match)
                .rewrite(rewrite.orElse(null)).requestHeaders(edits).timeouts(timeouts).retries(retries).build()));
    }

    /** The cluster a route names; one not in the file is reported, one with problems of its own is not. */
    private static Optional<ClusterConfig> cluster(YamlValue value, ClustersSection.Clusters clusters) {
        return value.string().flatMap(name -> {
            ClustersSection.Read read = clusters.read().get(name);
            if (read == null && !clusters.declared().contains(name)) {
                String hint = DidYouMean.among(clusters.declared(), name).map(n -> "; did you mean " + n + "?")
                        .orElse("");
                value.reject("'" + name + "' (expected: one of the clusters " + String.join(", ", clusters.declared())
                        + hint + ")");
            }
            return Optional.ofNullable(read).map(ClustersSection.Read::cluster);
        });
    }

    private static Optional<PathRewrite> rewrite(YamlMapping route, RouteMatch match) {
        Optional<YamlValue> strip = route.get("stripPrefix");
        Optional<YamlValue> replace = route.get("prefixRewrite");
        if (strip.isPresent() && replace.isPresent()) {
            replace.get().reject("given with stripPrefix at line " + strip.get().line() + " (expected: stripPrefix or "
                    + "prefixRewrite, not both)");
            return Optional.empty();
        }
        String matched = match.path().kind() == PathMatch.Kind.ANY ? "/" : match.path().value();
        return strip.flatMap(v -> v.parsed("a path prefix, e.g. /v1", PathRewrite::stripPrefix))
                .or(() -> replace.flatMap(v -> v.parsed("a path, e.g. /api/v1/", to -> new PathRewrite(matched, to))));
    }

    private static Optional<HeaderEdits> headerEdits(YamlMapping edits) {
        Map<String, String> set = edits.readOr("set", value -> value.mapping(RoutesSection::values), Map.of());
        Map<String, String> add = edits.readOr("add", value -> value.mapping(RoutesSection::values), Map.of());
        List<String> remove = edits.readOr("remove", value -> value.oneOrList("a header name, or a list of them"),
                List.of());
        return edits.build(() -> new HeaderEdits(set, add, remove));
    }

    private static Optional<Map<String, String>> values(YamlMapping headers) {
        Map<String, String> values = new LinkedHashMap<>();
        headers.entries().forEach((name, value) -> value.scalar("a header value").ifPresent(v -> values.put(name, v)));
        return headers.build(() -> values);
    }
}
