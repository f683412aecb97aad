package io.healthyproxy.http.config;

import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.SlownessConfig;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.internal.Require;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One cluster: the backends behind one service, and how the proxy treats them. Every section is resolved: a
 * cluster in a config file takes the top-level sections, overridden key by key by its own
 * ({@link ProxyConfig#clusters()}).
 *
 * <p>Backend names are unique within a cluster; the same name (or address) may be in two clusters, each with
 * its own breaker and health, so status pages and metrics name a backend by cluster and name together.
 *
 * @param name            how routes, logs, status and metrics name it: letters, digits, {@code .}, {@code -},
 *                        {@code _}, at most 64
 * @param backends        at least one, names unique within the cluster
 * @param balancing       how a backend is chosen (default round robin, weighted)
 * @param whenNoneAdmits  what happens when no backend admits traffic (default {@code LAST_RESORT})
 * @param breaker         each backend's circuit breaker
 * @param halfOpenOnHealthRecovery health checks seeing a backend come back end its circuit's opening early
 *                        (default true)
 * @param healthCheck     active HTTP health checks of its backends
 * @param failureStatuses statuses that count against the backend that sent them
 * @param timeouts        its timeouts; those of the listener ({@code clientIdle}, {@code requestHeader},
 *                        {@code shutdownGrace}) are the top level's
 * @param retries         retries, the retry budget (one per cluster, as in Envoy) and hedging
 * @param slowStart       how long a backend that joins or comes back takes to ramp up to its full weight
 *                        (default 0: off, as in Envoy, HAProxy and NGINX)
 * @param slowness        when one of its backends is ejected for being far slower than the others (its peers
 *                        are the cluster's other backends)
 * @param discovered      backends found in DNS, besides those listed (A/AAAA or SRV records, resolved again
 *                        and again); a cluster needs at least one backend or one of these
 */
public record ClusterConfig(
        String name,
        List<BackendConfig> backends,
        Balancing balancing,
        NoBackendPolicy whenNoneAdmits,
        CircuitBreakerConfig breaker,
        boolean halfOpenOnHealthRecovery,
        HttpHealthCheck healthCheck,
        StatusCodes failureStatuses,
        Timeouts timeouts,
        RetryPolicy retries,
        Duration slowStart,
        SlownessConfig slowness,
        List<DiscoveredBackends> discovered) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ClusterConfig {
        checkName(name);
        backends = List.copyOf(backends);
        Objects.requireNonNull(balancing, "balancing");
        Objects.requireNonNull(whenNoneAdmits, "whenNoneAdmits");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(failureStatuses, "failureStatuses");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(retries, "retries");
        Require.notNegative("slowStart", slowStart);
        Objects.requireNonNull(slowness, "slowness");
        discovered = List.copyOf(discovered);
        if (backends.isEmpty() && discovered.isEmpty()) {
            throw Require.invalid("backends", "[]", "at least one backend");
        }
        Set<String> names = new HashSet<>();
        for (BackendConfig b : backends) {
            if (!names.add(b.name())) {
                throw Require.invalid("backends", b.name(), "unique names; '" + b.name() + "' appears twice");
            }
        }
        for (DiscoveredBackends d : discovered) {
            if (!names.add(d.name())) {
                throw Require.invalid("backends", d.name(), "unique names; '" + d.name() + "' appears twice");
            }
        }
    }

    /**
     * Checks a cluster name, for readers that want to report it apart from the cluster.
     *
     * @throws IllegalArgumentException saying what a name may hold
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' (expected: a cluster name of letters, digits, '.', "
                    + "'-' and '_', at most 64, starting with a letter or digit)");
        }
        return name;
    }

    /** A builder for a cluster named {@code name}, every section the proxy's default. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.backends.addAll(backends);
        return b.balancing(balancing).whenNoneAdmits(whenNoneAdmits).breaker(breaker)
                .halfOpenOnHealthRecovery(halfOpenOnHealthRecovery).healthCheck(healthCheck)
                .failureStatuses(failureStatuses).timeouts(timeouts).retries(retries).slowStart(slowStart)
                .slowness(slowness).discovered(discovered);
    }

    /** Builds a {@link ClusterConfig}; setters check their values. Not thread-safe. */
    public static final class Builder {
        private String name;
        private final List<BackendConfig> backends = new ArrayList<>();
        private Balancing balancing = Balancing.ROUND_ROBIN;
        private NoBackendPolicy whenNoneAdmits = NoBackendPolicy.LAST_RESORT;
        private CircuitBreakerConfig breaker = ProxyConfig.DEFAULT_BREAKER;
        private boolean halfOpenOnHealthRecovery = true;
        private HttpHealthCheck healthCheck = HttpHealthCheck.defaults();
        private StatusCodes failureStatuses = StatusCodes.GATEWAY_ERRORS;
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private RetryPolicy retries = RetryPolicy.DEFAULTS;
        private Duration slowStart = Duration.ZERO;
        private SlownessConfig slowness = SlownessConfig.DEFAULTS;
        private final List<DiscoveredBackends> discovered = new ArrayList<>();

        private Builder(String name) {
            this.name = checkName(name);
        }

        public Builder name(String name) {
            this.name = checkName(name);
            return this;
        }

        public Builder backend(BackendConfig backend) {
            backends.add(Objects.requireNonNull(backend, "backend"));
            return this;
        }

        public Builder backend(String hostPort) {
            return backend(BackendConfig.of(hostPort));
        }

        /** Replaces the backends with {@code backends}. */
        public Builder backends(List<BackendConfig> backends) {
            this.backends.clear();
            backends.forEach(this::backend);
            return this;
        }

        public Builder clearBackends() {
            backends.clear();
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

        /** Default 0 (off). */
        public Builder slowStart(Duration slowStart) {
            this.slowStart = Require.notNegative("slowStart", slowStart);
            return this;
        }

        /** Backends to find in DNS. */
        public Builder discover(DiscoveredBackends entry) {
            discovered.add(Objects.requireNonNull(entry, "entry"));
            return this;
        }

        /** Replaces the DNS entries with {@code entries}. */
        public Builder discovered(List<DiscoveredBackends> entries) {
            discovered.clear();
            entries.forEach(this::discover);
            return this;
        }

        public Builder slowness(SlownessConfig slowness) {
            this.slowness = Objects.requireNonNull(slowness, "slowness");
            return this;
        }

        public ClusterConfig build() {
            return new ClusterConfig(name, backends, balancing, whenNoneAdmits, breaker, halfOpenOnHealthRecovery,
                    healthCheck, failureStatuses, timeouts, retries, slowStart, slowness, discovered);
        }
    }
}
