package io.healthyproxy.core.breaker;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.time.HumanDuration;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link CircuitBreaker} behaves. Immutable; one config is usually shared by the breakers of every
 * backend. Build one with {@link #builder()}; every value is checked when set, and the canonical constructor
 * checks them again (with the cross-field rules), so an invalid config cannot exist.
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *         .failureThreshold(3)
 *         .openDuration(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 *
 * @param failureThreshold   consecutive failures that open a closed circuit (default {@value #DEFAULT_FAILURE_THRESHOLD})
 * @param openDuration       how long the first opening lasts (default 30 s, {@link #DEFAULT_OPEN_DURATION})
 * @param backoffMultiplier  each re-opening without a healthy stretch in between multiplies the open duration
 *                           by this (default {@value #DEFAULT_BACKOFF_MULTIPLIER}; 1 keeps it constant)
 * @param maxOpenDuration    cap on the grown open duration (default 5 min, {@link #DEFAULT_MAX_OPEN_DURATION})
 * @param openJitter         each open duration is shortened by a random share of at most this, so that many
 *                           breakers opened by one outage do not probe in lock-step
 *                           (default {@value #DEFAULT_OPEN_JITTER}; 0 turns jitter off)
 * @param backoffResetAfter  a circuit that stayed closed this long starts its next opening from
 *                           {@code openDuration} again (default 60 s, {@link #DEFAULT_BACKOFF_RESET_AFTER})
 * @param halfOpenTrials     trial calls admitted while half-open (default {@value #DEFAULT_HALF_OPEN_TRIALS}, at most 64)
 * @param successThreshold   successful trials that close the circuit (default {@value #DEFAULT_SUCCESS_THRESHOLD};
 *                           at most {@code halfOpenTrials})
 * @param trialTimeout       a trial that has not reported back after this long counts as failed, so a lost or
 *                           hung trial can never wedge the breaker (default 10 s, {@link #DEFAULT_TRIAL_TIMEOUT})
 * @param halfOpenOnHealthRecovery when the backend's active health checks see it come back (unhealthy, then
 *                           healthy), an open circuit goes half-open at once instead of waiting out an
 *                           opening that backoff may have made long ({@link Transition#HEALTH_RECOVERED}); a
 *                           real call is still the trial. Off by default, as in the seed's breaker; the HTTP
 *                           proxy turns it on.
 * @param failureRate        the optional failure-rate trigger (default: none)
 */
public record CircuitBreakerConfig(
        int failureThreshold,
        Duration openDuration,
        double backoffMultiplier,
        Duration maxOpenDuration,
        double openJitter,
        Duration backoffResetAfter,
        int halfOpenTrials,
        int successThreshold,
        Duration trialTimeout,
        boolean halfOpenOnHealthRecovery,
        Optional<FailureRateTrigger> failureRate) {

    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX_OPEN_DURATION = Duration.ofMinutes(5);
    public static final double DEFAULT_OPEN_JITTER = 0.1;
    public static final Duration DEFAULT_BACKOFF_RESET_AFTER = Duration.ofSeconds(60);
    public static final int DEFAULT_HALF_OPEN_TRIALS = 1;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    public static final Duration DEFAULT_TRIAL_TIMEOUT = Duration.ofSeconds(10);
    /** The most trials a half-open breaker admits at once; they are tracked in an array scanned per report. */
    public static final int MAX_HALF_OPEN_TRIALS = 64;

    public CircuitBreakerConfig {
        Require.positive("failureThreshold", failureThreshold);
        Require.positive("openDuration", openDuration);
        Require.atLeast("backoffMultiplier", backoffMultiplier, 1.0);
        Require.positive("maxOpenDuration", maxOpenDuration);
        Require.inRange("openJitter", openJitter, 0.0, 0.9);
        Require.notNegative("backoffResetAfter", backoffResetAfter);
        Require.inRange("halfOpenTrials", halfOpenTrials, 1, MAX_HALF_OPEN_TRIALS);
        Require.positive("successThreshold", successThreshold);
        Require.positive("trialTimeout", trialTimeout);
        Objects.requireNonNull(failureRate, "failureRate");
        if (maxOpenDuration.compareTo(openDuration) < 0) {
            throw Require.invalid("maxOpenDuration", HumanDuration.format(maxOpenDuration),
                    ">= openDuration " + HumanDuration.format(openDuration));
        }
        if (successThreshold > halfOpenTrials) {
            throw Require.invalid("successThreshold", successThreshold,
                    "<= halfOpenTrials " + halfOpenTrials + ", or the circuit could never close");
        }
    }

    /** The defaults: the seed's 5 failures, 30 s open, 1 trial, 1 success to close. */
    public static CircuitBreakerConfig defaults() {
        return builder().build();
    }

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
        b.halfOpenOnHealthRecovery = halfOpenOnHealthRecovery;
        b.failureRate = failureRate.orElse(null);
        return b;
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
        private boolean halfOpenOnHealthRecovery;
        private FailureRateTrigger failureRate;

        private Builder() {
        }

        public Builder failureThreshold(int failureThreshold) {
            this.failureThreshold = Require.positive("failureThreshold", failureThreshold);
            return this;
        }

        public Builder openDuration(Duration openDuration) {
            this.openDuration = Require.positive("openDuration", openDuration);
            return this;
        }

        public Builder backoffMultiplier(double backoffMultiplier) {
            this.backoffMultiplier = Require.atLeast("backoffMultiplier", backoffMultiplier, 1.0);
            return this;
        }

        public Builder maxOpenDuration(Duration maxOpenDuration) {
            this.maxOpenDuration = Require.positive("maxOpenDuration", maxOpenDuration);
            return this;
        }

        public Builder openJitter(double openJitter) {
            this.openJitter = Require.inRange("openJitter", openJitter, 0.0, 0.9);
            return this;
        }

        public Builder backoffResetAfter(Duration backoffResetAfter) {
            this.backoffResetAfter = Require.notNegative("backoffResetAfter", backoffResetAfter);
            return this;
        }

        public Builder halfOpenTrials(int halfOpenTrials) {
            this.halfOpenTrials = Require.inRange("halfOpenTrials", halfOpenTrials, 1, MAX_HALF_OPEN_TRIALS);
            return this;
        }

        public Builder successThreshold(int successThreshold) {
            this.successThreshold = Require.positive("successThreshold", successThreshold);
            return this;
        }

        public Builder trialTimeout(Duration trialTimeout) {
            this.trialTimeout = Require.positive("trialTimeout", trialTimeout);
            return this;
        }

        public Builder halfOpenOnHealthRecovery(boolean halfOpenOnHealthRecovery) {
            this.halfOpenOnHealthRecovery = halfOpenOnHealthRecovery;
            return this;
        }

        /** Turns on the failure-rate trigger; {@code null} turns it off. */
        public Builder failureRate(FailureRateTrigger failureRate) {
            this.failureRate = failureRate;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the values contradict each other, e.g. a
         *     {@code successThreshold} above {@code halfOpenTrials}
         */
        public CircuitBreakerConfig build() {
            return new CircuitBreakerConfig(failureThreshold, openDuration, backoffMultiplier, maxOpenDuration,
                    openJitter, backoffResetAfter, halfOpenTrials, successThreshold, trialTimeout,
                    halfOpenOnHealthRecovery, Optional.ofNullable(failureRate));
        }
    }
}
