package io.healthyproxy.core.breaker;

import static io.healthyproxy.core.breaker.CircuitState.CLOSED;
import static io.healthyproxy.core.breaker.CircuitState.HALF_OPEN;
import static io.healthyproxy.core.breaker.CircuitState.OPEN;

import java.util.Arrays;

/**
 * The transition table of a {@link CircuitBreaker}: every legal state change, with the reason it happens.
 * A pair of states that no constant names is illegal; the breaker can only move through these.
 *
 * <pre>
 *   CLOSED ──FAILURE_THRESHOLD_REACHED / FAILURE_RATE_EXCEEDED──► OPEN
 *   OPEN ──OPEN_DURATION_ELAPSED / HEALTH_RECOVERED / NO_OTHER_BACKEND──► HALF_OPEN
 *   HALF_OPEN ──TRIALS_SUCCEEDED──► CLOSED
 *   HALF_OPEN ──TRIAL_FAILED / TRIAL_TIMED_OUT / PROBE_FAILED──► OPEN
 * </pre>
 */
public enum Transition {
    /** {@code failureThreshold} consecutive failures while closed. */
    FAILURE_THRESHOLD_REACHED(CLOSED, OPEN),
    /** The failure rate over the sliding window reached its threshold with enough calls. */
    FAILURE_RATE_EXCEEDED(CLOSED, OPEN),
    /** The open duration has passed: trial calls may go through. */
    OPEN_DURATION_ELAPSED(OPEN, HALF_OPEN),
    /** Active health checks saw the backend come back: a trial need not wait out the open duration. */
    HEALTH_RECOVERED(OPEN, HALF_OPEN),
    /** No other backend admits traffic: a call is better risked as a trial than refused outright. */
    NO_OTHER_BACKEND(OPEN, HALF_OPEN),
    /** {@code successThreshold} trials succeeded. */
    TRIALS_SUCCEEDED(HALF_OPEN, CLOSED),
    /** A trial failed. */
    TRIAL_FAILED(HALF_OPEN, OPEN),
    /** A trial did not report back within the trial timeout: it counts as failed. */
    TRIAL_TIMED_OUT(HALF_OPEN, OPEN),
    /** A health probe failed while half-open: the backend is still down, so no request need be risked. */
    PROBE_FAILED(HALF_OPEN, OPEN);

    private final CircuitState from;
    private final CircuitState to;

    Transition(CircuitState from, CircuitState to) {
        this.from = from;
        this.to = to;
    }

    /** @return the state it leaves */
    public CircuitState from() {
        return from;
    }

    /** @return the state it enters */
    public CircuitState to() {
        return to;
    }

    /** Whether any transition leads from {@code from} to {@code to}. */
    public static boolean isLegal(CircuitState from, CircuitState to) {
        return Arrays.stream(values()).anyMatch(t -> t.from == from && t.to == to);
    }

    /** A short human description, for logs: {@code closed → open (failure threshold reached)}. */
    public String describe() {
        return from.label() + " → " + to.label() + " (" + name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
    }
}
