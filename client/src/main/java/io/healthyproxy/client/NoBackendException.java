package io.healthyproxy.client;

/**
 * No backend admitted the call (every one unhealthy, open, or ejected, and the group's "none admits" policy had
 * nothing to offer either): the call failed fast, without reaching any backend. The HTTP proxy answers 503 in
 * this case, the Maelstrom node error 11.
 */
public final class NoBackendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what was tried */
    public NoBackendException(String message) {
        super(message);
    }
}
