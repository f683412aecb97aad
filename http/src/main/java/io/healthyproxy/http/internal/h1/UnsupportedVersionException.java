package io.healthyproxy.http.internal.h1;

/**
 * A well-formed HTTP version other than HTTP/1.1 and HTTP/1.0, e.g. {@code HTTP/2.0} or {@code HTTP/1.2}:
 * 505 HTTP Version Not Supported for a request (RFC 9110 §15.6.6). A version that is not {@code HTTP/x.y} at
 * all is a {@link MalformedMessageException} (400).
 */
public final class UnsupportedVersionException extends RefusedMessageException {

    private static final long serialVersionUID = 1L;

    public UnsupportedVersionException(String message) {
        super(message);
    }
}
