package io.healthyproxy.core;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.time.HumanDuration;
import java.time.Duration;
import java.util.Objects;

/**
 * When a backend counts as slow: only relative to its peers, never by a fixed latency, so that load which
 * slows every backend alike ejects none (a busy system is not a broken one) while one frozen or much slower
 * backend is taken out of traffic within a few seconds. The same idea as Envoy's success-rate outlier
 * detection, applied to latency, and with a conservative yardstick.
 *
 * <p>Every {@code interval}, each backend with at least {@code minRequests} answers in the last one to two
 * {@code window}s is compared with the others: it is slow when its median is more than {@code factor} times,
 * and more than {@code minExcess} above, the median of the other backends' 90th percentiles. Comparing a median
 * with the peers' 90th percentile means a backend is ejected only when its <em>typical</em> request is slower
 * than nearly all of a typical peer's, which no mix of fast and slow endpoints spread over the backends
 * produces by chance. Requests that a hedge overtook or that timed out count at the time they had waited.
 *
 * <p>A slow backend is ejected for {@code baseEjection}, doubling (up to {@code maxEjection}) when it is
 * ejected again soon after coming back; at most {@code maxEjectedShare} of the backends (and at least one)
 * are out for slowness alone at a time (one ejected that also fails its checks, or whose circuit is open,
 * would be out anyway and does not count).
 *
 * <p>Immutable; built only by {@link #builder()} (or {@link #toBuilder()}), whose setters check each value as it
 * is set; {@link Builder#build()} checks them against each other.
 *
 * <pre>{@code
 * SlownessConfig slowness = SlownessConfig.builder().factor(5).baseEjection(Duration.ofSeconds(10)).build();
 * }</pre>
 */
public final class SlownessConfig {

    /** How often backends are compared: 500 ms. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
    /** The span of recent answers compared: 1 s (so the last one to two seconds). */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);
    /** Answers a backend needs in that span to be judged: {@value}. */
    public static final int DEFAULT_MIN_REQUESTS = 20;
    /** How many times the peers' yardstick makes slow: {@value}. */
    public static final double DEFAULT_FACTOR = 3.0;
    /** And by at least this much, so sub-millisecond noise never ejects: 5 ms. */
    public static final Duration DEFAULT_MIN_EXCESS = Duration.ofMillis(5);
    /** The first ejection's length: 5 s. */
    public static final Duration DEFAULT_BASE_EJECTION = Duration.ofSeconds(5);
    /** The longest ejection: 60 s. */
    public static final Duration DEFAULT_MAX_EJECTION = Duration.ofSeconds(60);
    /** At most this share of the backends ejected for slowness at once: {@value}. */
    public static final double DEFAULT_MAX_EJECTED_SHARE = 0.34;

    /** The defaults, as each constant above says: on. */
    public static final SlownessConfig DEFAULTS = new Builder().build();

    /** No backend is ever judged slow. */
    public static final SlownessConfig OFF = new Builder().enabled(false).build();

    private final boolean enabled;
    private final Duration interval;
    private final Duration window;
    private final int minRequests;
    private final double factor;
    private final Duration minExcess;
    private final Duration baseEjection;
    private final Duration maxEjection;
    private final double maxEjectedShare;

    private SlownessConfig(Builder b) {
        this.enabled = b.enabled;
        this.interval = b.interval;
        this.window = b.window;
        this.minRequests = b.minRequests;
        this.factor = b.factor;
        this.minExcess = b.minExcess;
        this.baseEjection = b.baseEjection;
        this.maxEjection = b.maxEjection;
        this.maxEjectedShare = b.maxEjectedShare;
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.interval = interval;
        b.window = window;
        b.minRequests = minRequests;
        b.factor = factor;
        b.minExcess = minExcess;
        b.baseEjection = baseEjection;
        b.maxEjection = maxEjection;
        b.maxEjectedShare = maxEjectedShare;
        return b;
    }

    /** Whether backends are judged at all (default true). */
    public boolean enabled() {
        return enabled;
    }

    /** How often backends are compared (default 500 ms). */
    public Duration interval() {
        return interval;
    }

    /** The span of recent answers compared (default 1 s: the last one to two seconds). */
    public Duration window() {
        return window;
    }

    /** Answers a backend needs in that span to be judged (default 20). */
    public int minRequests() {
        return minRequests;
    }

    /** How many times the peers' yardstick makes slow (default 3). */
    public double factor() {
        return factor;
    }

    /** And by at least this much (default 5 ms), so sub-millisecond noise never ejects. */
    public Duration minExcess() {
        return minExcess;
    }

    /** The first ejection's length (default 5 s). */
    public Duration baseEjection() {
        return baseEjection;
    }

    /** The longest ejection (default 60 s). */
    public Duration maxEjection() {
        return maxEjection;
    }

    /** At most this share of the backends ejected for slowness at once (default 0.34). */
    public double maxEjectedShare() {
        return maxEjectedShare;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlownessConfig c && enabled == c.enabled && interval.equals(c.interval)
                && window.equals(c.window) && minRequests == c.minRequests && factor == c.factor
                && minExcess.equals(c.minExcess) && baseEjection.equals(c.baseEjection)
                && maxEjection.equals(c.maxEjection) && maxEjectedShare == c.maxEjectedShare;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, interval, window, minRequests, factor, minExcess, baseEjection, maxEjection,
                maxEjectedShare);
    }

    @Override
    public String toString() {
        return "SlownessConfig[enabled=" + enabled + ", interval=" + HumanDuration.format(interval)
                + ", window=" + HumanDuration.format(window) + ", minRequests=" + minRequests + ", factor=" + factor
                + ", minExcess=" + HumanDuration.format(minExcess)
                + ", baseEjection=" + HumanDuration.format(baseEjection)
                + ", maxEjection=" + HumanDuration.format(maxEjection) + ", maxEjectedShare=" + maxEjectedShare + "]";
    }

    /** Builds a {@link SlownessConfig}, checking each value as it is set. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration window = DEFAULT_WINDOW;
        private int minRequests = DEFAULT_MIN_REQUESTS;
        private double factor = DEFAULT_FACTOR;
        private Duration minExcess = DEFAULT_MIN_EXCESS;
        private Duration baseEjection = DEFAULT_BASE_EJECTION;
        private Duration maxEjection = DEFAULT_MAX_EJECTION;
        private double maxEjectedShare = DEFAULT_MAX_EJECTED_SHARE;

        private Builder() {
        }

        /**
         * @param enabled whether backends are judged at all
         * @return this builder
         */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * @param interval how often backends are compared; {@code > 0}
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Require.positive("slowness.interval", interval);
            return this;
        }

        /**
         * @param window the span of recent answers compared; {@code > 0}
         * @return this builder
         */
        public Builder window(Duration window) {
            this.window = Require.positive("slowness.window", window);
            return this;
        }

        /**
         * @param minRequests answers a backend needs to be judged; {@code > 0}
         * @return this builder
         */
        public Builder minRequests(int minRequests) {
            this.minRequests = Require.positive("slowness.minRequests", minRequests);
            return this;
        }

        /**
         * @param factor how many times the peers' yardstick makes slow; {@code >= 1.5}
         * @return this builder
         */
        public Builder factor(double factor) {
            this.factor = Require.atLeast("slowness.factor", factor, 1.5);
            return this;
        }

        /**
         * @param minExcess how far above the yardstick a slow backend must be; {@code >= 0}
         * @return this builder
         */
        public Builder minExcess(Duration minExcess) {
            this.minExcess = Require.notNegative("slowness.minExcess", minExcess);
            return this;
        }

        /**
         * @param baseEjection the first ejection's length; {@code > 0}, at most {@code maxEjection}
         * @return this builder
         */
        public Builder baseEjection(Duration baseEjection) {
            this.baseEjection = Require.positive("slowness.baseEjection", baseEjection);
            return this;
        }

        /**
         * @param maxEjection the longest ejection; {@code > 0}, at least {@code baseEjection}
         * @return this builder
         */
        public Builder maxEjection(Duration maxEjection) {
            this.maxEjection = Require.positive("slowness.maxEjection", maxEjection);
            return this;
        }

        /**
         * @param maxEjectedShare the largest share of backends out for slowness at once; {@code 0..1}
         * @return this builder
         */
        public Builder maxEjectedShare(double maxEjectedShare) {
            this.maxEjectedShare = Require.inRange("slowness.maxEjectedShare", maxEjectedShare, 0.0, 1.0);
            return this;
        }

        /**
         * Builds the config, after checking the values against each other.
         *
         * @return the config
         * @throws IllegalArgumentException if {@code maxEjection} is shorter than {@code baseEjection}
         */
        public SlownessConfig build() {
            if (maxEjection.compareTo(baseEjection) < 0) {
                throw Require.invalid("slowness.maxEjection", HumanDuration.format(maxEjection),
                        ">= slowness.baseEjection " + HumanDuration.format(baseEjection));
            }
            return new SlownessConfig(this);
        }
    }
}
