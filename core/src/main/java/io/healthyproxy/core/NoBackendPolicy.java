package io.healthyproxy.core;

/** What {@link BackendPool#acquire()} does when no backend admits traffic. */
public enum NoBackendPolicy {
    /**
     * Refuse at once: the caller answers "no backend" (HTTP 503, Maelstrom error 11). Nothing is sent to a
     * backend known to be failing, and the client learns so in microseconds. The seed's behaviour, and the
     * node's.
     */
    FAIL_FAST,
    /**
     * Fall back on the backends that pass their health checks: each open circuit among them goes half-open
     * early and takes the call as its trial
     * (the breaker's {@link io.healthyproxy.core.breaker.Transition#NO_OTHER_BACKEND}); while every such trial
     * slot is taken, calls go to those backends untracked, as in panic mode, and the trials alone decide the
     * circuits. Why: backoff can keep a circuit open for minutes after its backend recovered, and when every
     * circuit is open, a backend whose checks pass is a better bet than a certain error. Backends failing
     * their checks get nothing; with none passing, calls fail fast. The HTTP proxy's default.
     */
    LAST_RESORT,
    /**
     * Panic mode: spread calls over all backends as if all were healthy, on the theory that a health system
     * saying "everything is down" is more often wrong than right (Envoy's panic threshold at 100%). Such calls
     * are not reported to the breakers.
     */
    PANIC
}
