package io.healthyproxy.core.health;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A backend's active-health state at one moment.
 *
 * @param healthy              the rise/fall verdict
 * @param consecutivePasses    checks passed in a row
 * @param consecutiveFailures  checks failed in a row
 * @param checks               checks completed so far
 * @param lastResult           the most recent check, or null before the first
 * @param lastLatencyNanos     how long the most recent check took
 * @param lastCheckAtNanos     the ticker reading when the most recent check completed
 * @param checkInFlight        whether a check has been sent and not settled yet
 * @param nextCheckAtNanos     when the next check is due (a ticker reading), as scheduled by the
 *                             {@link io.healthyproxy.core.ActiveHealthChecker}; empty while one is in flight
 *                             and when nothing schedules checks
 */
public record HealthStatus(
        boolean healthy,
        int consecutivePasses,
        int consecutiveFailures,
        long checks,
        ProbeResult lastResult,
        long lastLatencyNanos,
        long lastCheckAtNanos,
        boolean checkInFlight,
        OptionalLong nextCheckAtNanos) {

    public HealthStatus {
        Objects.requireNonNull(nextCheckAtNanos, "nextCheckAtNanos");
    }

    /** A status with no check in flight or scheduled (as before the checker published its schedule). */
    public HealthStatus(boolean healthy, int consecutivePasses, int consecutiveFailures, long checks,
            ProbeResult lastResult, long lastLatencyNanos, long lastCheckAtNanos) {
        this(healthy, consecutivePasses, consecutiveFailures, checks, lastResult, lastLatencyNanos, lastCheckAtNanos,
                false, OptionalLong.empty());
    }

    static HealthStatus initial(boolean healthy) {
        return new HealthStatus(healthy, 0, 0, 0, null, 0, 0);
    }

    /** This status with the checker's schedule: a check in flight, or the next one due at a time. */
    HealthStatus withSchedule(boolean inFlight, OptionalLong nextAt) {
        return new HealthStatus(healthy, consecutivePasses, consecutiveFailures, checks, lastResult, lastLatencyNanos,
                lastCheckAtNanos, inFlight, nextAt);
    }
}
