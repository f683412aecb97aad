package io.healthyproxy.maelstrom.node;

import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.NoBackendPolicy;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.internal.Require;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the node routes and checks its backends.
 *
 * @param breaker        the circuit breaker of each backend (seed defaults: 5 failures, 30 s open, 1 trial)
 * @param health         active health checks of each backend
 * @param requestTimeout how long one forwarded attempt may take before it counts as failed and is retried
 *                       on another backend (default 1 s)
 * @param backends       the backends' node ids; empty means "every other node in {@code init}'s node_ids"
 * @param balancing      how a backend is chosen
 * @param whenNoneAdmits what happens when no backend admits traffic (default: fail fast with error 11)
 */
public record NodeConfig(
        CircuitBreakerConfig breaker,
        HealthCheckConfig health,
        Duration requestTimeout,
        List<String> backends,
        Balancing balancing,
        NoBackendPolicy whenNoneAdmits) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMillis(500);
    /** Attempts per client request: the first, and one retry on a different backend. */
    public static final int MAX_ATTEMPTS = 2;

    public NodeConfig {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(health, "health");
        Require.positive("requestTimeout", requestTimeout);
        backends = List.copyOf(backends);
        Objects.requireNonNull(balancing, "balancing");
        Objects.requireNonNull(whenNoneAdmits, "whenNoneAdmits");
    }

    /**
     * The seed's breaker (5 failures, 30 s, 1 trial, 1 success), health checks every second with a 500 ms
     * timeout (rise 2, fall 3, every 500 ms while unhealthy), 1 s per attempt, round robin, fail fast.
     */
    public static NodeConfig defaults() {
        return new NodeConfig(
                CircuitBreakerConfig.builder().trialTimeout(trialTimeoutFor(DEFAULT_REQUEST_TIMEOUT,
                        DEFAULT_HEALTH_TIMEOUT)).build(),
                HealthCheckConfig.builder().interval(DEFAULT_HEALTH_INTERVAL)
                        .unhealthyInterval(DEFAULT_HEALTH_INTERVAL.dividedBy(2)).timeout(DEFAULT_HEALTH_TIMEOUT).build(),
                DEFAULT_REQUEST_TIMEOUT, List.of(), Balancing.ROUND_ROBIN, NoBackendPolicy.FAIL_FAST);
    }

    /**
     * The breaker's trial timeout is a backstop for a trial that never reports; the node's own timeouts
     * always report first, so it only needs to be comfortably longer than either.
     */
    public static Duration trialTimeoutFor(Duration requestTimeout, Duration healthTimeout) {
        Duration longer = requestTimeout.compareTo(healthTimeout) >= 0 ? requestTimeout : healthTimeout;
        return longer.multipliedBy(2);
    }

    public NodeConfig withBreaker(CircuitBreakerConfig breaker) {
        return new NodeConfig(breaker, health, requestTimeout, backends, balancing, whenNoneAdmits);
    }

    public NodeConfig withHealth(HealthCheckConfig health) {
        return new NodeConfig(breaker, health, requestTimeout, backends, balancing, whenNoneAdmits);
    }

    public NodeConfig withRequestTimeout(Duration requestTimeout) {
        return new NodeConfig(breaker, health, requestTimeout, backends, balancing, whenNoneAdmits);
    }

    public NodeConfig withBackends(List<String> backends) {
        return new NodeConfig(breaker, health, requestTimeout, backends, balancing, whenNoneAdmits);
    }

    public NodeConfig withBalancing(Balancing balancing) {
        return new NodeConfig(breaker, health, requestTimeout, backends, balancing, whenNoneAdmits);
    }

    public NodeConfig withNoBackendPolicy(NoBackendPolicy whenNoneAdmits) {
        return new NodeConfig(breaker, health, requestTimeout, backends, balancing, whenNoneAdmits);
    }
}
