package io.healthyproxy.core.health;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.time.HumanDuration;
import java.time.Duration;
import java.util.Objects;

/**
 * How a backend is actively health-checked. Immutable; built only by {@link #builder()} (or
 * {@link #toBuilder()}), whose setters check each value as it is set.
 *
 * <pre>{@code
 * HealthCheckConfig checks = HealthCheckConfig.builder()
 *         .interval(Duration.ofSeconds(5)).timeout(Duration.ofSeconds(1)).build();
 * }</pre>
 *
 * <p>The defaults are HAProxy's shape (rise 2, fall 3) with a 2 s interval and a 1 s timeout, and a backend
 * starts healthy: traffic flows at once and the circuit breaker guards the first calls.
 */
public final class HealthCheckConfig {

    /** Time between one check's end and the next one's start while healthy: 2 s (HAProxy's {@code inter}). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    /** The same while unhealthy: 1 s, so a recovery is seen sooner (HAProxy's {@code fastinter}). */
    public static final Duration DEFAULT_UNHEALTHY_INTERVAL = Duration.ofSeconds(1);
    /** A check not answered within this counts as failed: 1 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** The largest random share each interval is moved by, either way: {@value}. */
    public static final double DEFAULT_JITTER = 0.1;
    /** Consecutive passed checks that make an unhealthy backend healthy ("rise"): {@value}. */
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    /** Consecutive failed checks that make a healthy backend unhealthy ("fall"): {@value}. */
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;

    private static final HealthCheckConfig DEFAULTS = new Builder().build();

    private final Duration interval;
    private final Duration unhealthyInterval;
    private final Duration timeout;
    private final double jitter;
    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private final boolean startHealthy;

    private HealthCheckConfig(Builder b) {
        this.interval = b.interval;
        this.unhealthyInterval = b.unhealthyInterval;
        this.timeout = b.timeout;
        this.jitter = b.jitter;
        this.healthyThreshold = b.healthyThreshold;
        this.unhealthyThreshold = b.unhealthyThreshold;
        this.startHealthy = b.startHealthy;
    }

    /** The defaults, as each constant above says. */
    public static HealthCheckConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.interval = interval;
        b.unhealthyInterval = unhealthyInterval;
        b.timeout = timeout;
        b.jitter = jitter;
        b.healthyThreshold = healthyThreshold;
        b.unhealthyThreshold = unhealthyThreshold;
        b.startHealthy = startHealthy;
        return b;
    }

    /** Time between the end of one check and the start of the next while healthy (default 2 s). */
    public Duration interval() {
        return interval;
    }

    /** The same while unhealthy, usually shorter, so recovery is seen sooner (default 1 s). */
    public Duration unhealthyInterval() {
        return unhealthyInterval;
    }

    /** A check not answered within this counts as failed (default 1 s); separate from the interval. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Each interval is moved by a random share of at most this either way, and the first check starts at a
     * random point within the first interval, so checks of many backends spread out (default
     * {@value #DEFAULT_JITTER}).
     */
    public double jitter() {
        return jitter;
    }

    /** Consecutive passed checks that make an unhealthy backend healthy ("rise", default 2). */
    public int healthyThreshold() {
        return healthyThreshold;
    }

    /** Consecutive failed checks that make a healthy backend unhealthy ("fall", default 3). */
    public int unhealthyThreshold() {
        return unhealthyThreshold;
    }

    /**
     * Whether a new backend starts healthy (default true: traffic flows at once and the circuit breaker
     * guards the first calls) or must pass {@code healthyThreshold} checks first.
     */
    public boolean startHealthy() {
        return startHealthy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HealthCheckConfig c && interval.equals(c.interval)
                && unhealthyInterval.equals(c.unhealthyInterval) && timeout.equals(c.timeout) && jitter == c.jitter
                && healthyThreshold == c.healthyThreshold && unhealthyThreshold == c.unhealthyThreshold
                && startHealthy == c.startHealthy;
    }

    @Override
    public int hashCode() {
        return Objects.hash(interval, unhealthyInterval, timeout, jitter, healthyThreshold, unhealthyThreshold,
                startHealthy);
    }

    @Override
    public String toString() {
        return "HealthCheckConfig[interval=" + HumanDuration.format(interval)
                + ", unhealthyInterval=" + HumanDuration.format(unhealthyInterval)
                + ", timeout=" + HumanDuration.format(timeout) + ", jitter=" + jitter
                + ", healthyThreshold=" + healthyThreshold + ", unhealthyThreshold=" + unhealthyThreshold
                + ", startHealthy=" + startHealthy + "]";
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

        /**
         * @param interval time between checks while healthy; {@code > 0}
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Require.positive("interval", interval);
            return this;
        }

        /**
         * @param unhealthyInterval time between checks while unhealthy; {@code > 0}
         * @return this builder
         */
        public Builder unhealthyInterval(Duration unhealthyInterval) {
            this.unhealthyInterval = Require.positive("unhealthyInterval", unhealthyInterval);
            return this;
        }

        /**
         * @param timeout how long a check may take; {@code > 0}
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Require.positive("timeout", timeout);
            return this;
        }

        /**
         * @param jitter the largest random share an interval is moved by; {@code 0..0.5}
         * @return this builder
         */
        public Builder jitter(double jitter) {
            this.jitter = Require.inRange("jitter", jitter, 0.0, 0.5);
            return this;
        }

        /**
         * @param healthyThreshold passed checks in a row that make a backend healthy; {@code > 0}
         * @return this builder
         */
        public Builder healthyThreshold(int healthyThreshold) {
            this.healthyThreshold = Require.positive("healthyThreshold", healthyThreshold);
            return this;
        }

        /**
         * @param unhealthyThreshold failed checks in a row that make a backend unhealthy; {@code > 0}
         * @return this builder
         */
        public Builder unhealthyThreshold(int unhealthyThreshold) {
            this.unhealthyThreshold = Require.positive("unhealthyThreshold", unhealthyThreshold);
            return this;
        }

        /**
         * @param startHealthy whether a new backend starts healthy
         * @return this builder
         */
        public Builder startHealthy(boolean startHealthy) {
            this.startHealthy = startHealthy;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return the config
         */
        public HealthCheckConfig build() {
            return new HealthCheckConfig(this);
        }
    }
}
