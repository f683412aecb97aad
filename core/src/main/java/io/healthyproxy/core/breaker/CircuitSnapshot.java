package io.healthyproxy.core.breaker;

import java.time.Duration;
import java.util.List;

/**
 * A consistent, read-only view of a breaker at one moment, for status pages and metrics.
 *
 * @param name                the breaker's name
 * @param state               the state, with time-driven transitions applied
 * @param consecutiveFailures consecutive failures counted (kept while open, cleared by a success)
 * @param timesOpened         how often the circuit has opened since it was created
 * @param openRemaining       while OPEN, the time left until trials are admitted; otherwise zero
 * @param lastOpenDuration    the length of the most recent opening (zero if it never opened)
 * @param trialsInFlight      while HALF_OPEN, trials admitted that have not reported back
 * @param trialsAdmitted      half-open trials admitted since the breaker was created
 * @param rejected            calls refused since the breaker was created
 * @param lastTransition      how the current state was entered; null while the breaker has never moved
 * @param sinceLastTransition how long ago that was (or, before any transition, since the breaker was created)
 * @param failureKinds        what the current {@code consecutiveFailures} were, per kind as the callers reported
 *                            them ({@link CircuitBreaker#onFailure(long, String)}), most frequent first; empty
 *                            when there are none. For people: under concurrent failures at the start of a streak
 *                            they may add up to slightly fewer than {@code consecutiveFailures}
 */
public record CircuitSnapshot(
        String name,
        CircuitState state,
        int consecutiveFailures,
        long timesOpened,
        Duration openRemaining,
        Duration lastOpenDuration,
        int trialsInFlight,
        long trialsAdmitted,
        long rejected,
        Transition lastTransition,
        Duration sinceLastTransition,
        List<FailureCount> failureKinds) {

    public CircuitSnapshot {
        failureKinds = List.copyOf(failureKinds);
    }
}
