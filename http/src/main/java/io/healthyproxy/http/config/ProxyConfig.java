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
import java.util.Optional;
import java.util.Set;

/**
 * Everything the HTTP proxy needs to run. Immutable; every part checks itself, and the whole checks how the
 * parts fit. Build with {@link #builder()}, or load from YAML ({@code healthy-proxy serve --config}).
 *
 * @param listen          where clients connect (default 127.0.0.1:8080)
 * @param admin           where the admin API listens (default 127.0.0.1:9901)
 * @param adminToken      bearer token the admin API requires; needed when {@code admin} is not loopback
 * @param backends        the backend servers, at least one, with unique names
 * @param balancing       how a backend is chosen (default round robin)
 * @param whenNoneAdmits  when no backend admits traffic: {@code LAST_RESORT} (default: backends passing their
 *                        health checks take the requests, one of them at a time as each circuit's trial),
 *                        {@code FAIL_FAST} (503 for all) or {@code PANIC}
 * @param breaker         each backend's circuit breaker (default: 5 failures, 5 s open; the seed's 30 s is
 *                        long for a proxy)
 * @param healthCheck     active HTTP health checks
 * @param slowness        when a backend is ejected for being far slower than its peers (on by default; never
 *                        by a fixed latency, so load that slows every backend ejects none)
 * @param failureStatuses statuses that count against the backend that sent them (default 502,503,504; add
 *                        500 if your backends' 500s mean they are broken rather than the request)
 * @param timeouts        timeouts
 * @param retries         retries, retry budget and hedging
 * @param limits          what clients may send
 * @param accessLog       one log line per request, to the {@code healthyproxy.access} logger (default off)
 * @param tls             TLS termination on {@code listen} (default none: plain HTTP)
 * @param adminTls        TLS on the admin listener (default none)
 * @param http2           HTTP/2 towards clients: h2 over TLS, h2c with prior knowledge (default on)
 */
public record ProxyConfig(
        Endpoint listen,
        Endpoint admin,
        Optional<String> adminToken,
        List<BackendConfig> backends,
        Balancing balancing,
        NoBackendPolicy whenNoneAdmits,
        CircuitBreakerConfig breaker,
        HttpHealthCheck healthCheck,
        SlownessConfig slowness,
        StatusCodes failureStatuses,
        Timeouts timeouts,
        RetryPolicy retries,
        Limits limits,
        boolean accessLog,
        Optional<TlsConfig> tls,
        Optional<TlsConfig> adminTls,
        Http2Config http2) {

    public static final Endpoint DEFAULT_LISTEN = new Endpoint("127.0.0.1", 8080);
    public static final Endpoint DEFAULT_ADMIN = new Endpoint("127.0.0.1", 9901);
    public static final CircuitBreakerConfig DEFAULT_BREAKER = CircuitBreakerConfig.builder()
            .openDuration(Duration.ofSeconds(5)).trialTimeout(Duration.ofSeconds(15))
            .halfOpenOnHealthRecovery(true).build();

    public ProxyConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(adminToken, "adminToken");
        backends = List.copyOf(backends);
        Objects.requireNonNull(balancing, "balancing");
        Objects.requireNonNull(whenNoneAdmits, "whenNoneAdmits");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(slowness, "slowness");
        Objects.requireNonNull(failureStatuses, "failureStatuses");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(adminTls, "adminTls");
        Objects.requireNonNull(http2, "http2");
        if (backends.isEmpty()) {
            throw Require.invalid("backends", "[]", "at least one backend");
        }
        Set<String> names = new HashSet<>();
        for (BackendConfig b : backends) {
            if (!names.add(b.name())) {
                throw Require.invalid("backends", b.name(), "unique names; '" + b.name() + "' appears twice");
            }
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

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.listen = listen;
        b.admin = admin;
        b.adminToken = adminToken.orElse(null);
        b.backends.addAll(backends);
        b.balancing = balancing;
        b.whenNoneAdmits = whenNoneAdmits;
        b.breaker = breaker;
        b.healthCheck = healthCheck;
        b.slowness = slowness;
        b.failureStatuses = failureStatuses;
        b.timeouts = timeouts;
        b.retries = retries;
        b.limits = limits;
        b.accessLog = accessLog;
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
        private final List<BackendConfig> backends = new ArrayList<>();
        private Balancing balancing = Balancing.ROUND_ROBIN;
        private NoBackendPolicy whenNoneAdmits = NoBackendPolicy.LAST_RESORT;
        private CircuitBreakerConfig breaker = DEFAULT_BREAKER;
        private HttpHealthCheck healthCheck = HttpHealthCheck.defaults();
        private SlownessConfig slowness = SlownessConfig.DEFAULTS;
        private StatusCodes failureStatuses = StatusCodes.GATEWAY_ERRORS;
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private RetryPolicy retries = RetryPolicy.DEFAULTS;
        private Limits limits = Limits.DEFAULTS;
        private boolean accessLog;
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

        public Builder healthCheck(HttpHealthCheck healthCheck) {
            this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
            return this;
        }

        public Builder slowness(SlownessConfig slowness) {
            this.slowness = Objects.requireNonNull(slowness, "slowness");
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
            return new ProxyConfig(listen, admin, Optional.ofNullable(adminToken), backends, balancing, whenNoneAdmits,
                    breaker, healthCheck, slowness, failureStatuses, timeouts, retries, limits, accessLog,
                    Optional.ofNullable(tls), Optional.ofNullable(adminTls), http2);
        }
    }
}
