package io.healthyproxy.core;

import io.healthyproxy.core.breaker.CircuitSnapshot;
import io.healthyproxy.core.health.HealthStatus;

/**
 * Everything known about one backend at one moment, for status pages and metrics.
 *
 * @param id         the backend's id
 * @param admitting  whether it would take a call now
 * @param circuit    its circuit breaker
 * @param health     its active-health verdict
 * @param ejection   its ejection for slowness, or null when it is not ejected
 * @param inFlight   calls under way
 * @param succeeded  calls that succeeded
 * @param failed     calls that failed by the backend's fault
 * @param weight     its configured weight
 * @param slowStartFactor the share of its weight it gets now: below 1 while in slow start
 */
public record BackendStatus(
        String id,
        boolean admitting,
        CircuitSnapshot circuit,
        HealthStatus health,
        Ejection ejection,
        int inFlight,
        long succeeded,
        long failed,
        int weight,
        double slowStartFactor) {
}
