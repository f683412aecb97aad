package io.healthyproxy.http.internal;

/**
 * What the request path tells the outside world (metrics, the access log). Called on event loops: must be
 * quick and must not throw.
 */
interface ProxyEvents {

    /**
     * A request ended. {@code request} is null for a request refused before it was accepted (a 4xx).
     *
     * @param status     the status the client got, or 0 if the connection was closed without one
     * @param proxyError the proxy-made error's code (e.g. {@code no_backend}), or null if a backend answered
     * @param backend    the backend that answered, or null
     * @param attempts   attempts made (retries and hedges included)
     */
    default void requestCompleted(ProxiedRequest request, int status, String proxyError, String backend,
            int attempts, long durationNanos, long responseBytes) {
    }

    /** A request is tried again after {@code failure}. */
    default void retried(AttemptFailure failure) {
    }

    /** A hedged copy of a request was sent. */
    default void hedged() {
    }

    /** An attempt failed; {@code backend} is its backend, in {@code cluster}. */
    default void attemptFailed(String cluster, String backend, AttemptFailure failure) {
    }
}
