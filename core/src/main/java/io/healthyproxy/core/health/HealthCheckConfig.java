package io.healthyproxy.core.health;

import io.healthyproxy.core.internal.Require;
import java.time.Duration;
import java.util.Objects;

/**
 * How a backend is actively health-checked. Immutable; build with {@link #builder()}.
 *
 * @param interval           time between the end of one check and the start of the next while healthy
 *                           (default 2 s, {@link #DEFAULT_INTERVAL})
 * @param unhealthyInterval  the same while unhealthy, usually shorter, so recovery is seen sooner
 *                           (default 1 s, {@link #DEFAULT_UNHEALTHY_INTERVAL})
 * @param timeout            a check not answered within this counts as failed (default 1 s,
 *                           {@link #DEFAULT_TIMEOUT}); separate from the interval
 * @param jitter             each interval is moved by a random share of at most this either way, and the first
 *                           check starts at a random point within the first interval, so checks of many
 *                           backends spread out (default {@value #DEFAULT_JITTER})
 * @param healthyThreshold   consecutive passed checks that make an unhealthy backend healthy ("rise",
 *                           default {@value #DEFAULT_HEALTHY_THRESHOLD})
 * @param unhealthyThreshold consecutive failed checks that make a healthy backend unhealthy ("fall",
 *                           default {@value #DEFAULT_UNHEALTHY_THRESHOLD})
 * @param startHealthy       whether a new backend starts healthy (default true: traffic flows at once and the
 *                           circuit breaker guards the first calls) or must pass {@code healthyThreshold} checks first
 */
public record HealthCheckConfig(
        Duration interval,
        Duration unhealthyInterval,
        Duration timeout,
        double jitter,
        int healthyThreshold,
        int unhealthyThreshold,
        boolean startHealthy) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_UNHEALTHY_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final double DEFAULT_JITTER = 0.1;
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;

    public HealthCheckConfig {
        Require.positive("interval", interval);
        Require.positive("unhealthyInterval", unhealthyInterval);
        Require.positive("timeout", timeout);
        Require.inRange("jitter", jitter, 0.0, 0.5);
        Require.positive("healthyThreshold", healthyThreshold);
        Require.positive("unhealthyThreshold", unhealthyThreshold);
    }

    public static HealthCheckConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder().interval(interval).unhealthyInterval(unhealthyInterval).timeout(timeout).jitter(jitter)
                .healthyThreshold(healthyThreshold).unhealthyThreshold(unhealthyThreshold).startHealthy(startHealthy);
    }

    /** Builds a {@link HealthCheckConfig}, checking each value as it is set. Not thread-safe. */
    public static final class Builder {
        private Duration interval = DEFAULT_INTERVAL;
        private Duration unhealthyInterval = DEFAULT_UNHEALTHY_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private double jitter = DEFAULT_JITTER;
        private int healthyThreshold = DEFAULT_HEALTHY_THRESHOLD;
        private int unhealthyThreshold = DEFAULT_UNHEALTHY_THRESHOLD;
        private boolean startHealthy = true;

        private Builder() {
        }

        public Builder interval(Duration interval) {
            this.interval = Require.positive("interval", interval);
            return this;
        }

        public Builder unhealthyInterval(Duration unhealthyInterval) {
            this.unhealthyInterval = Require.positive("unhealthyInterval", unhealthyInterval);
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Require.positive("timeout", timeout);
            return this;
        }

        public Builder jitter(double jitter) {
            this.jitter = Require.inRange("jitter", jitter, 0.0, 0.5);
            return this;
        }

        public Builder healthyThreshold(int healthyThreshold) {
            this.healthyThreshold = Require.positive("healthyThreshold", healthyThreshold);
            return this;
        }

        public Builder unhealthyThreshold(int unhealthyThreshold) {
            this.unhealthyThreshold = Require.positive("unhealthyThreshold", unhealthyThreshold);
            return this;
        }

        public Builder startHealthy(boolean startHealthy) {
            this.startHealthy = startHealthy;
            return this;
        }

        public HealthCheckConfig build() {
            return new HealthCheckConfig(Objects.requireNonNull(interval), unhealthyInterval, timeout, jitter,
                    healthyThreshold, unhealthyThreshold, startHealthy);
        }
    }
}
