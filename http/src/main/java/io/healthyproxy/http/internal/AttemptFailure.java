package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why one attempt on one backend failed: classified, never guessed, because the class decides three things
 * at once: whether the backend's breaker hears of it, whether the request may be repeated, and what the
 * client is told if it cannot be.
 */
enum AttemptFailure {
    /** The connection could not be opened (refused, unreachable, connect timeout): nothing was sent. */
    CONNECT(true, true, HttpResponseStatus.BAD_GATEWAY, "backend_unreachable"),
    /**
     * The backend said it did not process the request: an HTTP/2 stream above its GOAWAY's last stream id, or
     * reset with REFUSED_STREAM (RFC 9113 §8.1.4). Nothing was received, so any request may be repeated; not the
     * backend's fault either: a backend shutting down gracefully says so, and its checks will tell if it is gone.
     */
    REFUSED(false, true, HttpResponseStatus.BAD_GATEWAY, "backend_refused"),
    /** The connection closed or reset before a complete response head: the request may have been received. */
    RESET(true, false, HttpResponseStatus.BAD_GATEWAY, "backend_reset"),
    /**
     * No response head within the per-try timeout. Slowness, not failure: it is held against the backend only
     * relative to its peers ({@link io.healthyproxy.core.SlowBackendDetector}), never on its breaker.
     */
    TIMEOUT(false, false, HttpResponseStatus.GATEWAY_TIMEOUT, "backend_timeout"),
    /** The backend's response was not valid HTTP. */
    BAD_RESPONSE(true, false, HttpResponseStatus.BAD_GATEWAY, "backend_bad_response"),
    /** The backend answered a status it should not (a gateway error, by default). */
    FAILURE_STATUS(true, false, HttpResponseStatus.BAD_GATEWAY, "backend_error_status"),
    /**
     * A hedge sent later answered first: this backend was slower than the hedge delay and then some. Slowness,
     * not failure, as {@link #TIMEOUT}: a busy backend loses hedges too.
     */
    LOST_HEDGE(false, false, HttpResponseStatus.GATEWAY_TIMEOUT, "backend_slow"),
    /** The backend went silent in the middle of a response body, for longer than the idle limit. */
    STALLED(true, false, HttpResponseStatus.GATEWAY_TIMEOUT, "backend_stalled");

    private final boolean backendsFault;
    private final boolean nothingSent;
    private final HttpResponseStatus clientStatus;
    private final String code;

    AttemptFailure(boolean backendsFault, boolean nothingSent, HttpResponseStatus clientStatus, String code) {
        this.backendsFault = backendsFault;
        this.nothingSent = nothingSent;
        this.clientStatus = clientStatus;
        this.code = code;
    }

    /** Whether the backend's circuit breaker counts this against it. */
    boolean backendsFault() {
        return backendsFault;
    }

    /** Whether the request certainly did not reach the backend, so even a non-idempotent one may be repeated. */
    boolean nothingSent() {
        return nothingSent;
    }

    /** What the client is told when this was the last attempt. */
    HttpResponseStatus clientStatus() {
        return clientStatus;
    }

    /** The machine-readable reason in proxy-made error bodies and metrics. */
    String code() {
        return code;
    }
}
