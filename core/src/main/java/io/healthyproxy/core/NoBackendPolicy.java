package io.healthyproxy.core;

/** What {@link BackendPool#acquire()} does when no backend admits traffic. */
public enum NoBackendPolicy {
    /**
     * Refuse at once (the default): the caller answers "no backend" (HTTP 503, Maelstrom error 11). Nothing is
     * sent to a backend that is known to be failing, and the client learns so in microseconds.
     */
    FAIL_FAST,
    /**
     * Panic mode: spread the call over all backends as if all were healthy, on the theory that a health
     * system saying "everything is down" is more often wrong than right (Envoy's panic threshold at 100%).
     * Such calls are not reported to the breakers.
     */
    PANIC
}
