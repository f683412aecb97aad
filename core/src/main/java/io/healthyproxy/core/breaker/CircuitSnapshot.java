package io.healthyproxy.core.breaker;

import java.time.Duration;

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
        long rejected) {
}
