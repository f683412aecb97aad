package io.healthyproxy.core.breaker;

import java.time.Duration;
import java.util.List;

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
 * @param failureKinds        what those consecutive failures were, per kind, most frequent first
 *                            ({@link CircuitSnapshot#failureKinds()}); empty when there are none
 */
public record TransitionEvent(
        String breaker,
        Transition transition,
        long atNanos,
        int consecutiveFailures,
        Duration openDuration,
        long timesOpened,
        List<FailureCount> failureKinds) {

    public TransitionEvent {
        failureKinds = List.copyOf(failureKinds);
    }

    /** An event without failure kinds (as before callers could report them). */
    public TransitionEvent(String breaker, Transition transition, long atNanos, int consecutiveFailures,
            Duration openDuration, long timesOpened) {
        this(breaker, transition, atNanos, consecutiveFailures, openDuration, timesOpened, List.of());
    }

    /** @return the state the breaker left */
    public CircuitState from() {
        return transition.from();
    }

    /** @return the state the breaker entered */
    public CircuitState to() {
        return transition.to();
    }
}
