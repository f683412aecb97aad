package io.healthyproxy.core.breaker;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.time.HumanDuration;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link CircuitBreaker} behaves. Immutable; one config is usually shared by the breakers of every
 * backend. Built only by {@link #builder()} (or {@link #toBuilder()}): each setter checks its value as it is
 * set, {@link Builder#build()} checks the values against each other, and there is no other way to make one,
 * so an invalid config cannot exist and each rule is written once.
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *         .failureThreshold(3)
 *         .openDuration(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 *
 * <p>The defaults are the seed's breaker (5 failures, 30 s open, 1 trial, 1 success); the HTTP proxy and the
 * client library start from {@code BackendGroup.DEFAULT_BREAKER} instead (5 s open).
 */
public final class CircuitBreakerConfig {

    /** Consecutive failures that open a closed circuit: {@value}, as in the seed. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    /** How long the first opening lasts: 30 s, as in the seed. */
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);
    /** Each re-opening without a healthy stretch in between lasts this many times longer: {@value}. */
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    /** The longest an opening grows to: 5 min. */
    public static final Duration DEFAULT_MAX_OPEN_DURATION = Duration.ofMinutes(5);
    /** The largest share by which an opening is shortened at random: {@value}. */
    public static final double DEFAULT_OPEN_JITTER = 0.1;
    /** A circuit closed this long starts its next opening from {@code openDuration} again: 60 s. */
    public static final Duration DEFAULT_BACKOFF_RESET_AFTER = Duration.ofSeconds(60);
    /** Trial calls admitted while half-open: {@value}. */
    public static final int DEFAULT_HALF_OPEN_TRIALS = 1;
    /** Successful trials that close the circuit: {@value}. */
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    /** A trial that has not reported after this long counts as failed: 10 s. */
    public static final Duration DEFAULT_TRIAL_TIMEOUT = Duration.ofSeconds(10);
    /** The most trials a half-open breaker admits at once; they are tracked in an array scanned per report. */
    public static final int MAX_HALF_OPEN_TRIALS = 64;

    private static final CircuitBreakerConfig DEFAULTS = new Builder().build();

    private final int failureThreshold;
    private final Duration openDuration;
    private final double backoffMultiplier;
    private final Duration maxOpenDuration;
    private final double openJitter;
    private final Duration backoffResetAfter;
    private final int halfOpenTrials;
    private final int successThreshold;
    private final Duration trialTimeout;
    private final Optional<FailureRateTrigger> failureRate;

    private CircuitBreakerConfig(Builder b) {
        this.failureThreshold = b.failureThreshold;
        this.openDuration = b.openDuration;
        this.backoffMultiplier = b.backoffMultiplier;
        this.maxOpenDuration = b.maxOpenDuration;
        this.openJitter = b.openJitter;
        this.backoffResetAfter = b.backoffResetAfter;
        this.halfOpenTrials = b.halfOpenTrials;
        this.successThreshold = b.successThreshold;
        this.trialTimeout = b.trialTimeout;
        this.failureRate = Optional.ofNullable(b.failureRate);
    }

    /** The defaults: the seed's 5 failures, 30 s open, 1 trial, 1 success to close. */
    public static CircuitBreakerConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.failureThreshold = failureThreshold;
        b.openDuration = openDuration;
        b.backoffMultiplier = backoffMultiplier;
        b.maxOpenDuration = maxOpenDuration;
        b.openJitter = openJitter;
        b.backoffResetAfter = backoffResetAfter;
        b.halfOpenTrials = halfOpenTrials;
        b.successThreshold = successThreshold;
        b.trialTimeout = trialTimeout;
        b.failureRate = failureRate.orElse(null);
        return b;
    }

    /** Consecutive failures that open a closed circuit (default {@value #DEFAULT_FAILURE_THRESHOLD}). */
    public int failureThreshold() {
        return failureThreshold;
    }

    /** How long the first opening lasts (default 30 s, {@link #DEFAULT_OPEN_DURATION}). */
    public Duration openDuration() {
        return openDuration;
    }

    /**
     * Each re-opening without a healthy stretch in between multiplies the open duration by this (default
     * {@value #DEFAULT_BACKOFF_MULTIPLIER}; 1 keeps it constant).
     */
    public double backoffMultiplier() {
        return backoffMultiplier;
    }

    /** Cap on the grown open duration (default 5 min, {@link #DEFAULT_MAX_OPEN_DURATION}). */
    public Duration maxOpenDuration() {
        return maxOpenDuration;
    }

    /**
     * Each open duration is shortened by a random share of at most this, so that many breakers opened by one
     * outage do not probe in lock-step (default {@value #DEFAULT_OPEN_JITTER}; 0 turns jitter off).
     */
    public double openJitter() {
        return openJitter;
    }

    /**
     * A circuit that stayed closed this long starts its next opening from {@code openDuration} again (default
     * 60 s, {@link #DEFAULT_BACKOFF_RESET_AFTER}).
     */
    public Duration backoffResetAfter() {
        return backoffResetAfter;
    }

    /** Trial calls admitted while half-open (default {@value #DEFAULT_HALF_OPEN_TRIALS}, at most 64). */
    public int halfOpenTrials() {
        return halfOpenTrials;
    }

    /** Successful trials that close the circuit (default {@value #DEFAULT_SUCCESS_THRESHOLD}; at most {@code halfOpenTrials}). */
    public int successThreshold() {
        return successThreshold;
    }

    /**
     * A trial that has not reported back after this long counts as failed, so a lost or hung trial can never
     * wedge the breaker (default 10 s, {@link #DEFAULT_TRIAL_TIMEOUT}).
     */
    public Duration trialTimeout() {
        return trialTimeout;
    }

    /** The optional failure-rate trigger (default: none). */
    public Optional<FailureRateTrigger> failureRate() {
        return failureRate;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CircuitBreakerConfig c && failureThreshold == c.failureThreshold
                && openDuration.equals(c.openDuration) && backoffMultiplier == c.backoffMultiplier
                && maxOpenDuration.equals(c.maxOpenDuration) && openJitter == c.openJitter
                && backoffResetAfter.equals(c.backoffResetAfter) && halfOpenTrials == c.halfOpenTrials
                && successThreshold == c.successThreshold && trialTimeout.equals(c.trialTimeout)
                && failureRate.equals(c.failureRate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(failureThreshold, openDuration, backoffMultiplier, maxOpenDuration, openJitter,
                backoffResetAfter, halfOpenTrials, successThreshold, trialTimeout, failureRate);
    }

    @Override
    public String toString() {
        return "CircuitBreakerConfig[failureThreshold=" + failureThreshold
                + ", openDuration=" + HumanDuration.format(openDuration)
                + ", backoffMultiplier=" + backoffMultiplier
                + ", maxOpenDuration=" + HumanDuration.format(maxOpenDuration)
                + ", openJitter=" + openJitter
                + ", backoffResetAfter=" + HumanDuration.format(backoffResetAfter)
                + ", halfOpenTrials=" + halfOpenTrials
                + ", successThreshold=" + successThreshold
                + ", trialTimeout=" + HumanDuration.format(trialTimeout)
                + ", failureRate=" + failureRate.map(FailureRateTrigger::toString).orElse("none") + "]";
    }

    /** Builds a {@link CircuitBreakerConfig}, checking each value as it is set. Not thread-safe. */
    public static final class Builder {
        private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
        private Duration openDuration = DEFAULT_OPEN_DURATION;
        private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
        private Duration maxOpenDuration = DEFAULT_MAX_OPEN_DURATION;
        private double openJitter = DEFAULT_OPEN_JITTER;
        private Duration backoffResetAfter = DEFAULT_BACKOFF_RESET_AFTER;
        private int halfOpenTrials = DEFAULT_HALF_OPEN_TRIALS;
        private int successThreshold = DEFAULT_SUCCESS_THRESHOLD;
        private Duration trialTimeout = DEFAULT_TRIAL_TIMEOUT;
        private FailureRateTrigger failureRate;

        private Builder() {
        }

        /**
         * @param failureThreshold consecutive failures that open a closed circuit; {@code > 0}
         * @return this builder
         */
        public Builder failureThreshold(int failureThreshold) {
            this.failureThreshold = Require.positive("failureThreshold", failureThreshold);
            return this;
        }

        /**
         * @param openDuration how long the first opening lasts; {@code > 0}, at most {@code maxOpenDuration}
         * @return this builder
         */
        public Builder openDuration(Duration openDuration) {
            this.openDuration = Require.positive("openDuration", openDuration);
            return this;
        }

        /**
         * @param backoffMultiplier growth of the open duration per re-opening; {@code >= 1}
         * @return this builder
         */
        public Builder backoffMultiplier(double backoffMultiplier) {
            this.backoffMultiplier = Require.atLeast("backoffMultiplier", backoffMultiplier, 1.0);
            return this;
        }

        /**
         * @param maxOpenDuration cap on the grown open duration; {@code > 0}, at least {@code openDuration}
         * @return this builder
         */
        public Builder maxOpenDuration(Duration maxOpenDuration) {
            this.maxOpenDuration = Require.positive("maxOpenDuration", maxOpenDuration);
            return this;
        }

        /**
         * @param openJitter the largest random share an opening is shortened by; {@code 0..0.9}
         * @return this builder
         */
        public Builder openJitter(double openJitter) {
            this.openJitter = Require.inRange("openJitter", openJitter, 0.0, 0.9);
            return this;
        }

        /**
         * @param backoffResetAfter a closed stretch this long resets the backoff; {@code >= 0}
         * @return this builder
         */
        public Builder backoffResetAfter(Duration backoffResetAfter) {
            this.backoffResetAfter = Require.notNegative("backoffResetAfter", backoffResetAfter);
            return this;
        }

        /**
         * @param halfOpenTrials trials admitted while half-open; {@code 1..64}
         * @return this builder
         */
        public Builder halfOpenTrials(int halfOpenTrials) {
            this.halfOpenTrials = Require.inRange("halfOpenTrials", halfOpenTrials, 1, MAX_HALF_OPEN_TRIALS);
            return this;
        }

        /**
         * @param successThreshold successful trials that close the circuit; {@code > 0}, at most
         *     {@code halfOpenTrials}
         * @return this builder
         */
        public Builder successThreshold(int successThreshold) {
            this.successThreshold = Require.positive("successThreshold", successThreshold);
            return this;
        }

        /**
         * @param trialTimeout how long a trial may take to report before it counts as failed; {@code > 0}
         * @return this builder
         */
        public Builder trialTimeout(Duration trialTimeout) {
            this.trialTimeout = Require.positive("trialTimeout", trialTimeout);
            return this;
        }

        /**
         * Turns on the failure-rate trigger; {@code null} turns it off.
         *
         * @param failureRate the trigger, or null
         * @return this builder
         */
        public Builder failureRate(FailureRateTrigger failureRate) {
            this.failureRate = failureRate;
            return this;
        }

        /**
         * Builds the config, after checking the values against each other.
         *
         * @return the config
         * @throws IllegalArgumentException if the values contradict each other, e.g. a
         *     {@code successThreshold} above {@code halfOpenTrials}
         */
        public CircuitBreakerConfig build() {
            if (maxOpenDuration.compareTo(openDuration) < 0) {
                throw Require.invalid("maxOpenDuration", HumanDuration.format(maxOpenDuration),
                        ">= openDuration " + HumanDuration.format(openDuration));
            }
            if (successThreshold > halfOpenTrials) {
                throw Require.invalid("successThreshold", successThreshold,
                        "<= halfOpenTrials " + halfOpenTrials + ", or the circuit could never close");
            }
            return new CircuitBreakerConfig(this);
        }
    }
}
