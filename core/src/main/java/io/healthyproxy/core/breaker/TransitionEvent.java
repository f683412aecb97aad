package io.healthyproxy.core.breaker;

import java.time.Duration;

/**
 * One state change of a circuit breaker, as told to {@link CircuitBreakerListener}s.
 *
 * @param breaker             the breaker's name (usually the backend's)
 * @param transition          what happened, and so the states before and after
 * @param atNanos             the {@link io.healthyproxy.core.time.Ticker} reading at which it happened; for
 *                            time-driven transitions the moment it became due, even if noticed later
 * @param consecutiveFailures consecutive failures counted when it happened
 * @param openDuration        for transitions to OPEN, how long this opening lasts; otherwise zero
 * @param timesOpened         how often the circuit has opened, this opening included
 */
public record TransitionEvent(
        String breaker,
        Transition transition,
        long atNanos,
        int consecutiveFailures,
        Duration openDuration,
        long timesOpened) {

    public CircuitState from() {
        return transition.from();
    }

    public CircuitState to() {
        return transition.to();
    }
}
