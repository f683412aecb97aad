package io.healthyproxy.http.config;

import io.healthyproxy.core.BackendGroup;
import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.SlownessConfig;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.internal.Require;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the HTTP proxy needs to run. Immutable; every part checks itself, and the whole checks how the
 * parts fit. Build with {@link #builder()}, or load from YAML ({@code healthy-proxy serve --config}).
 *
 * <p>A config is written in one of two forms. The flat form lists {@code backends} at the top level: one
 * cluster, named {@value #DEFAULT_CLUSTER}, with the top-level sections, and one route taking every request to
 * it. The other form has {@code clusters} (and then no top-level backends), each taking the top-level
 * sections as its defaults, and {@code routes} to them; with exactly one cluster the routes may be left out,
 * and every request goes to it. Either way {@link #clusters()} and {@link #routes()} are the whole picture,
 * every section resolved; the top-level accessors ({@link #backends()}, {@link #breaker()}, ...) are what the
 * file says at the top level: the defaults of every cluster, and in the clusters form no backends.
 *
 * <pre>{@code
 * ProxyConfig.Builder b = ProxyConfig.builder();
 * ClusterConfig api = b.clusterBuilder("api").backend("127.0.0.1:9101").build();   // top-level sections
 * b.cluster(api).route(RouteConfig.builder(api)
 *         .match(RouteMatch.builder().pathPrefix("/v1/").build()).build());
 * }</pre>
 *
 * @param listen          where clients connect (default 127.0.0.1:8080)
 * @param admin           where the admin API listens (default 127.0.0.1:9901)
 * @param adminToken      bearer token the admin API requires; needed when {@code admin} is not loopback
 * @param backends        the backend servers of the flat form, with unique names; empty when the config has
 *                        {@code clusters}
 * @param balancing       how a backend is chosen (default round robin)
 * @param whenNoneAdmits  when no backend admits traffic: {@code LAST_RESORT} (default: backends passing their
 *                        health checks take the requests, one of them at a time as each circuit's trial),
 *                        {@code FAIL_FAST} (503 for all) or {@code PANIC}
 * @param breaker         each backend's circuit breaker (default: 5 failures, 5 s open; the seed's 30 s is
 *                        long for a proxy)
 * @param halfOpenOnHealthRecovery health checks seeing a backend come back end its circuit's opening early
 *                        (default true; YAML {@code breaker.halfOpenOnHealthRecovery}); a real request is
 *                        still the trial
 * @param healthCheck     active HTTP health checks
 * @param failureStatuses statuses that count against the backend that sent them (default 502,503,504; add
 *                        500 if your backends' 500s mean they are broken rather than the request)
 * @param timeouts        timeouts
 * @param retries         retries, retry budget and hedging
 * @param limits          what clients may send
 * @param accessLog       one log line per request, to the {@code healthyproxy.access} logger (default off)
 * @param slowStart       how long a backend that joins or comes back ramps up to its full weight (default 0:
 *                        off)
 * @param discovered      the flat form's backends found in DNS ({@link DiscoveredBackends}), besides its listed
 *                        ones
 * @param slowness        when a backend is ejected for being far slower than the other backends of its cluster
 *                        (on by default; never by a fixed latency, so load that slows every backend ejects none)
 * @param clusters        every cluster by name, in config order, every section resolved; the flat form's one
 *                        cluster is {@value #DEFAULT_CLUSTER}
 * @param routes          every route in order, the first match wins, resolved; the flat form's one route, and
 *                        that of a config with one cluster and no routes, takes every request
 * @param tls             TLS termination on {@code listen} (default none: plain HTTP)
 * @param adminTls        TLS on the admin listener (default none)
 * @param http2           HTTP/2 towards clients: h2 over TLS, h2c with prior knowledge (default on)
 * @param discovery       how the DNS names of discovered backends are resolved (default: the system's resolver)
 */
public record ProxyConfig(
        Endpoint listen,
        Endpoint admin,
        Optional<String> adminToken,
        List<BackendConfig> backends,
        List<DiscoveredBackends> discovered,
        Balancing balancing,
        NoBackendPolicy whenNoneAdmits,
        CircuitBreakerConfig breaker,
        boolean halfOpenOnHealthRecovery,
        HttpHealthCheck healthCheck,
        StatusCodes failureStatuses,
        Timeouts timeouts,
        RetryPolicy retries,
        Limits limits,
        boolean accessLog,
        Duration slowStart,
        SlownessConfig slowness,
        Map<String, ClusterConfig> clusters,
        List<RouteConfig> routes,
        Optional<TlsConfig> tls,
        Optional<TlsConfig> adminTls,
        Http2Config http2,
        DiscoverySettings discovery) {

    /** The name of the flat form's one cluster. */
    public static final String DEFAULT_CLUSTER = "default";

    public static final Endpoint DEFAULT_LISTEN = new Endpoint("127.0.0.1", 8080);
    public static final Endpoint DEFAULT_ADMIN = new Endpoint("127.0.0.1", 9901);
    /** The proxy's breaker, the core's for groups of backends: {@link BackendGroup#DEFAULT_BREAKER}. */
    public static final CircuitBreakerConfig DEFAULT_BREAKER = BackendGroup.DEFAULT_BREAKER;

    public ProxyConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(adminToken, "adminToken");
        backends = List.copyOf(backends);
        discovered = List.copyOf(discovered);
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(balancing, "balancing");
        Objects.requireNonNull(whenNoneAdmits, "whenNoneAdmits");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(failureStatuses, "failureStatuses");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(adminTls, "adminTls");
        Objects.requireNonNull(http2, "http2");
        Require.notNegative("slowStart", slowStart);
        Objects.requireNonNull(slowness, "slowness");
        Objects.requireNonNull(clusters, "clusters");
        Objects.requireNonNull(routes, "routes");
        if (!backends.isEmpty() || !discovered.isEmpty()) {
            // The flat form: its cluster and route are derived (and may be passed back in, as toBuilder does not).
            ClusterConfig flat = new ClusterConfig(DEFAULT_CLUSTER, backends, balancing, whenNoneAdmits, breaker,
                    halfOpenOnHealthRecovery, healthCheck, failureStatuses, timeouts, retries, slowStart, slowness,
                    discovered);
            if (!clusters.isEmpty() && !clusters.equals(Map.of(DEFAULT_CLUSTER, flat))) {
                throw Require.invalid("clusters", clusters.keySet(), "either top-level backends or clusters, not both");
            }
            if (!routes.isEmpty() && !routes.equals(List.of(RouteConfig.catchAll(flat)))) {
                throw Require.invalid("routes", "(" + routes.size() + ")", "no routes with top-level backends: "
                        + "every request goes to them; for routes, put the backends in clusters");
            }
            clusters = Map.of(DEFAULT_CLUSTER, flat);
            routes = List.of(RouteConfig.catchAll(flat));
        } else if (clusters.isEmpty()) {
            throw Require.invalid("backends", "[]", "at least one backend, or clusters");
        } else {
            clusters = checkedClusters(clusters);
            routes = checkedRoutes(clusters, routes);
        }
        adminToken.ifPresent(t -> {
            if (t.length() < 16) {
                throw Require.invalid("adminToken", "(" + t.length() + " characters)", "at least 16 characters");
            }
        });
        if (!admin.isLoopback() && adminToken.isEmpty()) {
            throw Require.invalid("admin", admin, "a loopback address, or an adminToken to guard it with");
        }
        if (listen.equals(admin) && listen.port() != 0) {
            throw Require.invalid("admin", admin, "a different address than listen");
        }
    }

    private static Map<String, ClusterConfig> checkedClusters(Map<String, ClusterConfig> clusters) {
        Map<String, ClusterConfig> copy = new LinkedHashMap<>();
        clusters.forEach((name, cluster) -> {
            if (!cluster.name().equals(name)) {
                throw Require.invalid("clusters", name, "each cluster under its own name; this is " + cluster.name());
            }
            copy.put(name, cluster);
        });
        return Collections.unmodifiableMap(copy);
    }

    private static List<RouteConfig> checkedRoutes(Map<String, ClusterConfig> clusters, List<RouteConfig> routes) {
        if (routes.isEmpty()) {
            if (clusters.size() > 1) {
                throw Require.invalid("routes", "[]", "routes to the " + clusters.size() + " clusters; with one "
                        + "cluster, no routes means every request goes to it");
            }
            return List.of(RouteConfig.catchAll(clusters.values().iterator().next()));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig route = routes.get(i);
            if (!clusters.containsKey(route.cluster())) {
                throw Require.invalid(RouteConfig.defaultName(i) + ".cluster", "'" + route.cluster() + "'",
                        "one of the clusters " + String.join(", ", clusters.keySet()));
            }
            if (!names.add(route.name())) {
                throw Require.invalid(RouteConfig.defaultName(i) + ".name", "'" + route.name() + "'",
                        "unique route names; it appears twice");
            }
            int shadowing = shadowing(routes, i);
            if (shadowing >= 0) {
                throw Require.invalid(RouteConfig.defaultName(i), route.match(), "a route that can match; "
                        + RouteConfig.defaultName(shadowing) + " before it takes every request it would");
            }
        }
        return List.copyOf(routes);
    }

    /**
     * The earlier route that takes every request the route at {@code index} would, making it unreachable, or
     * -1 when none does.
     */
    public static int shadowing(List<RouteConfig> routes, int index) {
        return RouteMatch.shadowing(routes.stream().map(RouteConfig::match).toList(), index);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.listen = listen;
        b.admin = admin;
        b.adminToken = adminToken.orElse(null);
        b.backends.addAll(backends);
        b.discovered.addAll(discovered);
        b.discovery = discovery;
        b.balancing = balancing;
        b.whenNoneAdmits = whenNoneAdmits;
        b.breaker = breaker;
        b.halfOpenOnHealthRecovery = halfOpenOnHealthRecovery;
        b.healthCheck = healthCheck;
        b.failureStatuses = failureStatuses;
        b.timeouts = timeouts;
        b.retries = retries;
        b.limits = limits;
        b.accessLog = accessLog;
        b.slowStart = slowStart;
        b.slowness = slowness;
        if (backends.isEmpty() && discovered.isEmpty()) {
            // The flat form's cluster and route are derived again by build(), from what the builder then holds.
            b.clusters.putAll(clusters);
            b.routes.addAll(routes);
        }
        b.tls = tls.orElse(null);
        b.adminTls = adminTls.orElse(null);
        b.http2 = http2;
        return b;
    }

    /** Builds a {@link ProxyConfig} from the defaults. Not thread-safe. */
    public static final class Builder {
        private Endpoint listen = DEFAULT_LISTEN;
        private Endpoint admin = DEFAULT_ADMIN;
        private String adminToken;
        private final List<DiscoveredBackends> discovered = new ArrayList<>();
        private DiscoverySettings discovery = DiscoverySettings.DEFAULTS;
        private final List<BackendConfig> backends = new ArrayList<>();
        private Balancing balancing = Balancing.ROUND_ROBIN;
        private NoBackendPolicy whenNoneAdmits = NoBackendPolicy.LAST_RESORT;
        private CircuitBreakerConfig breaker = DEFAULT_BREAKER;
        private boolean halfOpenOnHealthRecovery = true;
        private HttpHealthCheck healthCheck = HttpHealthCheck.defaults();
        private StatusCodes failureStatuses = StatusCodes.GATEWAY_ERRORS;
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private RetryPolicy retries = RetryPolicy.DEFAULTS;
        private Limits limits = Limits.DEFAULTS;
        private boolean accessLog;
        private Duration slowStart = Duration.ZERO;
        private SlownessConfig slowness = SlownessConfig.DEFAULTS;
        private final Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
        private final List<RouteConfig> routes = new ArrayList<>();
        private TlsConfig tls;
        private TlsConfig adminTls;
        private Http2Config http2 = Http2Config.DEFAULTS;

        private Builder() {
        }

        public Builder listen(Endpoint listen) {
            this.listen = Objects.requireNonNull(listen, "listen");
            return this;
        }

        public Builder admin(Endpoint admin) {
            this.admin = Objects.requireNonNull(admin, "admin");
            return this;
        }

        public Builder adminToken(String adminToken) {
            this.adminToken = adminToken;
            return this;
        }

        public Builder backend(BackendConfig backend) {
            backends.add(Objects.requireNonNull(backend, "backend"));
            return this;
        }

        public Builder backend(String hostPort) {
            return backend(BackendConfig.of(hostPort));
        }

        /** Backends to find in DNS (the flat form; a cluster has its own). */
        public Builder discover(DiscoveredBackends entry) {
            discovered.add(Objects.requireNonNull(entry, "entry"));
            return this;
        }

        /** How DNS names are resolved; default the system's resolver. */
        public Builder discovery(DiscoverySettings discovery) {
            this.discovery = Objects.requireNonNull(discovery, "discovery");
            return this;
        }

        public Builder clearBackends() {
            backends.clear();
            discovered.clear();
            return this;
        }

        public Builder balancing(Balancing balancing) {
            this.balancing = Objects.requireNonNull(balancing, "balancing");
            return this;
        }

        public Builder whenNoneAdmits(NoBackendPolicy whenNoneAdmits) {
            this.whenNoneAdmits = Objects.requireNonNull(whenNoneAdmits, "whenNoneAdmits");
            return this;
        }

        public Builder breaker(CircuitBreakerConfig breaker) {
            this.breaker = Objects.requireNonNull(breaker, "breaker");
            return this;
        }

        /** Default true: health checks seeing a backend come back end its circuit's opening early. */
        public Builder halfOpenOnHealthRecovery(boolean halfOpenOnHealthRecovery) {
            this.halfOpenOnHealthRecovery = halfOpenOnHealthRecovery;
            return this;
        }

        public Builder healthCheck(HttpHealthCheck healthCheck) {
            this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
            return this;
        }

        public Builder failureStatuses(StatusCodes failureStatuses) {
            this.failureStatuses = Objects.requireNonNull(failureStatuses, "failureStatuses");
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

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder accessLog(boolean accessLog) {
            this.accessLog = accessLog;
            return this;
        }

        /** Every cluster's slow start unless it says otherwise; default 0, off. */
        public Builder slowStart(Duration slowStart) {
            this.slowStart = Require.notNegative("slowStart", slowStart);
            return this;
        }

        /** Every cluster's slowness judgment unless it says otherwise; default {@link SlownessConfig#DEFAULTS}. */
        public Builder slowness(SlownessConfig slowness) {
            this.slowness = Objects.requireNonNull(slowness, "slowness");
            return this;
        }

        /** Adds a cluster; its name must be new. */
        public Builder cluster(ClusterConfig cluster) {
            Objects.requireNonNull(cluster, "cluster");
            if (clusters.putIfAbsent(cluster.name(), cluster) != null) {
                throw Require.invalid("clusters", cluster.name(), "unique names; '" + cluster.name() + "' appears twice");
            }
            return this;
        }

        /**
         * A builder for a cluster named {@code name} with this builder's top-level sections as they are now
         * (balancing, whenNoneAdmits, breaker, healthCheck, failureStatuses, timeouts, retries, slowStart):
         * what a cluster in a config file starts from. Add it with {@link #cluster}.
         */
        public ClusterConfig.Builder clusterBuilder(String name) {
            return ClusterConfig.builder(name).balancing(balancing).whenNoneAdmits(whenNoneAdmits).breaker(breaker)
                    .halfOpenOnHealthRecovery(halfOpenOnHealthRecovery).healthCheck(healthCheck).failureStatuses(failureStatuses).timeouts(timeouts).retries(retries)
                    .slowStart(slowStart).slowness(slowness);
        }

        /** Adds a route after those added before. */
        public Builder route(RouteConfig route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        public Builder clearClusters() {
            clusters.clear();
            routes.clear();
            return this;
        }

        /** TLS on the client listener; null for plain HTTP. */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /** TLS on the admin listener; null for plain HTTP. */
        public Builder adminTls(TlsConfig adminTls) {
            this.adminTls = adminTls;
            return this;
        }

        public Builder http2(Http2Config http2) {
            this.http2 = Objects.requireNonNull(http2, "http2");
            return this;
        }

        public ProxyConfig build() {
            return new ProxyConfig(listen, admin, Optional.ofNullable(adminToken), backends, discovered, balancing,
                    whenNoneAdmits, breaker, halfOpenOnHealthRecovery, healthCheck, failureStatuses, timeouts, retries,
                    limits, accessLog, slowStart, slowness, clusters, routes, Optional.ofNullable(tls),
                    Optional.ofNullable(adminTls), http2, discovery);
        }
    }
}
