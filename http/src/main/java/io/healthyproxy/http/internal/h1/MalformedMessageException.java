package io.healthyproxy.http.internal.h1;

/**
 * A message that breaks RFC 9112's syntax or framing rules: 400 for a client's request, a decoder failure
 * (the attempt fails, the connection is dropped) for a backend's response.
 */
public final class MalformedMessageException extends RefusedMessageException {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
