package io.healthyproxy.http.internal.h1;

/**
 * A request whose transfer codings end in {@code chunked} but include others ({@code gzip, chunked}): its
 * framing is clear, but the proxy does not decode transfer codings, so it answers 501 Not Implemented, as
 * RFC 9112 §6.1 says a server should for a coding it does not understand.
 */
public final class UnsupportedCodingException extends RefusedMessageException {

    private static final long serialVersionUID = 1L;

    public UnsupportedCodingException(String message) {
        super(message);
    }
}
