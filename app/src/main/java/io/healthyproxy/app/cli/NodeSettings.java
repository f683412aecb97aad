package io.healthyproxy.app.cli;

import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.internal.Require;
import io.healthyproxy.maelstrom.node.NodeConfig;
import java.time.Duration;
import java.util.List;

/** The values of the node's flags, starting at the defaults, and the config they make. */
final class NodeSettings {

    int failureThreshold = CircuitBreakerConfig.DEFAULT_FAILURE_THRESHOLD;
    Duration openDuration = CircuitBreakerConfig.DEFAULT_OPEN_DURATION;
    Duration maxOpenDuration = CircuitBreakerConfig.DEFAULT_MAX_OPEN_DURATION;
    int halfOpenTrials = CircuitBreakerConfig.DEFAULT_HALF_OPEN_TRIALS;
    int successThreshold = CircuitBreakerConfig.DEFAULT_SUCCESS_THRESHOLD;
    Duration healthInterval = NodeConfig.DEFAULT_HEALTH_INTERVAL;
    Duration healthTimeout = NodeConfig.DEFAULT_HEALTH_TIMEOUT;
    Duration requestTimeout = NodeConfig.DEFAULT_REQUEST_TIMEOUT;
    List<String> backends = List.of();
    Balancing balancing = Balancing.ROUND_ROBIN;
    boolean verbose;

    /**
     * Builds the node's config.
     *
     * @throws IllegalArgumentException naming the flag and what was expected, e.g.
     *     {@code --failure-threshold: 0 (expected: > 0)}
     */
    NodeConfig toConfig() {
        HealthCheckConfig health;
        try {
            health = HealthCheckConfig.builder()
                    .interval(healthInterval)
                    .unhealthyInterval(healthInterval.dividedBy(2).isZero() ? healthInterval : healthInterval.dividedBy(2))
                    .timeout(healthTimeout)
                    .build();
        } catch (IllegalArgumentException e) {
            // The health config's fields are "interval" and "timeout"; their flags say "health".
            throw new IllegalArgumentException(ConfigErrors.toFlags("health" + capitalized(e.getMessage())), e);
        }
        try {
            Require.positive("requestTimeout", requestTimeout);
            CircuitBreakerConfig breaker = CircuitBreakerConfig.builder()
                    .failureThreshold(failureThreshold)
                    .openDuration(openDuration)
                    .maxOpenDuration(maxOpenDuration)
                    .halfOpenTrials(halfOpenTrials)
                    .successThreshold(successThreshold)
                    .trialTimeout(NodeConfig.trialTimeoutFor(requestTimeout, healthTimeout))
                    .build();
            return NodeConfig.defaults().withBreaker(breaker).withHealth(health).withRequestTimeout(requestTimeout)
                    .withBackends(backends).withBalancing(balancing);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigErrors.toFlags(e.getMessage()), e);
        }
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
