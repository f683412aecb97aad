package io.healthyproxy.maelstrom.protocol;

/**
 * Maelstrom's error codes that this node sends. A <em>definite</em> error means the request certainly had
 * no effect; an indefinite one ({@link #TIMEOUT}) means it may or may not have.
 */
public enum ErrorCode {
    /** Indefinite: the request may have been served, but no answer came in time. */
    TIMEOUT(0, false),
    /** The message was addressed to a node that is not this one. */
    NODE_NOT_FOUND(1, true),
    /** The message type is not one this node handles. */
    NOT_SUPPORTED(10, true),
    /** No backend admits traffic now, or the node is not initialised yet; trying later may work. */
    TEMPORARILY_UNAVAILABLE(11, true),
    /** The message is not valid JSON, or lacks or mistypes a required field. */
    MALFORMED_REQUEST(12, true),
    /** The node failed while handling the request. */
    CRASH(13, false),
    /** The request is valid but conflicts with the node's state (e.g. a second {@code init} that differs). */
    PRECONDITION_FAILED(22, true);

    private final int code;
    private final boolean definite;

    ErrorCode(int code, boolean definite) {
        this.code = code;
        this.definite = definite;
    }

    public int code() {
        return code;
    }

    public boolean definite() {
        return definite;
    }

    /**
     * Whether an error a backend answered with is the request's fault rather than the backend's: a backend
     * that says "malformed" or "not supported" is alive and well, and another backend would say the same.
     * Codes 20-30 are the application errors of Maelstrom's workloads (key does not exist, conflict, …).
     */
    public static boolean isRequestFault(long code) {
        return code == NOT_SUPPORTED.code || code == MALFORMED_REQUEST.code || (code >= 20 && code <= 30);
    }
}
