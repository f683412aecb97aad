package io.healthyproxy.core.health;

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
 */
public record HealthStatus(
        boolean healthy,
        int consecutivePasses,
        int consecutiveFailures,
        long checks,
        ProbeResult lastResult,
        long lastLatencyNanos,
        long lastCheckAtNanos) {

    static HealthStatus initial(boolean healthy) {
        return new HealthStatus(healthy, 0, 0, 0, null, 0, 0);
    }
}
