package io.healthyproxy.core;

/**
 * What {@link BackendPool#acquire()} does when no backend admits traffic. Under either policy, a backend that
 * passes its health checks but whose circuit is open first gets one call at a time as a last-resort trial
 * ({@link io.healthyproxy.core.breaker.CircuitBreaker#tryAcquireAsLastResort}): a pool is never shut for
 * longer than a trial takes while some backend may be fine. The policy decides what the other calls get.
 */
public enum NoBackendPolicy {
    /**
     * Refuse them at once (the default): the caller answers "no backend" (HTTP 503, Maelstrom error 11).
     * Nothing but those single trials is sent to backends known to be failing, and the client learns so in
     * microseconds.
     */
    FAIL_FAST,
    /**
     * Panic mode: spread them over all backends as if all were healthy, on the theory that a health system
     * saying "everything is down" is more often wrong than right (Envoy's panic threshold at 100%). Such calls
     * are not reported to the breakers.
     */
    PANIC
}
