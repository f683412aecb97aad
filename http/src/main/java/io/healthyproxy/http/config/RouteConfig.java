package io.healthyproxy.http.config;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One route: the requests it takes, the cluster they go to, and what is changed on the way. Routes are tried
 * in order and the first that matches wins ({@code io.healthyproxy.http.routing.RouteTable} finds it without
 * trying them one by one). Its timeouts and retries are resolved: its cluster's, overridden key by key by its
 * own.
 *
 * <pre>{@code
 * RouteConfig v1 = RouteConfig.builder(apiCluster)
 *         .match(RouteMatch.builder().host("api.example.com").pathPrefix("/v1/").build())
 *         .rewrite(PathRewrite.stripPrefix("/v1"))
 *         .timeouts(Timeouts.builder().perTry(Duration.ofSeconds(5)).build())
 *         .build();
 * }</pre>
 *
 * @param name           names it in logs and metrics (default {@code routes[i]}, its place in the config);
 *                       unique
 * @param match          the requests it takes
 * @param cluster        the name of the cluster they go to
 * @param rewrite        the path rewrite, if any
 * @param requestHeaders changes to the request headers
 * @param timeouts       the request's timeouts ({@code perTry} and {@code request} may differ from the
 *                       cluster's)
 * @param retries        the request's retries ({@code maxAttempts}, {@code retryOn} and {@code hedging} may
 *                       differ from the cluster's; the budget is the cluster's)
 */
public record RouteConfig(
        String name,
        RouteMatch match,
        String cluster,
        Optional<PathRewrite> rewrite,
        HeaderEdits requestHeaders,
        Timeouts timeouts,
        RetryPolicy retries) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\[\\]-]{0,63}");

    public RouteConfig {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: a route name of letters, digits, "
                    + "'.', '-' and '_', at most 64)");
        }
        Objects.requireNonNull(match, "match");
        ClusterConfig.checkName(cluster);
        Objects.requireNonNull(rewrite, "rewrite");
        Objects.requireNonNull(requestHeaders, "requestHeaders");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(retries, "retries");
        rewrite.ifPresent(r -> {
            if (!PathMatch.prefix(r.from()).covers(match.path())) {
                throw new IllegalArgumentException("stripPrefix: '" + r.from() + "' (expected: a prefix of every "
                        + "path the route matches, on a segment boundary; it matches " + match.path() + ")");
            }
        });
    }

    /** The default name of the route at {@code index}. */
    public static String defaultName(int index) {
        return "routes[" + index + "]";
    }

    /** Every request to {@code cluster}, with its timeouts and retries: the flat config's one route. */
    public static RouteConfig catchAll(ClusterConfig cluster) {
        return builder(cluster).build();
    }

    /** A route to {@code cluster} taking its timeouts and retries; every request until told otherwise. */
    public static Builder builder(ClusterConfig cluster) {
        return new Builder(cluster);
    }

    /** Builds a {@link RouteConfig}. Not thread-safe. */
    public static final class Builder {
        private String name = defaultName(0);
        private RouteMatch match = RouteMatch.ALL;
        private final String cluster;
        private PathRewrite rewrite;
        private HeaderEdits requestHeaders = HeaderEdits.NONE;
        private Timeouts timeouts;
        private RetryPolicy retries;

        private Builder(ClusterConfig cluster) {
            this.cluster = cluster.name();
            this.timeouts = cluster.timeouts();
            this.retries = cluster.retries();
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder match(RouteMatch match) {
            this.match = Objects.requireNonNull(match, "match");
            return this;
        }

        /** The path rewrite; null for none. */
        public Builder rewrite(PathRewrite rewrite) {
            this.rewrite = rewrite;
            return this;
        }

        public Builder requestHeaders(HeaderEdits requestHeaders) {
            this.requestHeaders = Objects.requireNonNull(requestHeaders, "requestHeaders");
            return this;
        }

        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        public Builder retries(RetryPolicy retries) {
            this.retries = Objects.requireNonNull(retries, "retries");
            return this;
        }

        public RouteConfig build() {
            return new RouteConfig(name, match, cluster, Optional.ofNullable(rewrite), requestHeaders, timeouts,
                    retries);
        }
    }
}
