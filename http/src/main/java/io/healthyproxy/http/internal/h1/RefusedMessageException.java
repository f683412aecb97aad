package io.healthyproxy.http.internal.h1;

import io.netty.handler.codec.DecoderException;

/**
 * Why one of this package's decoders refused a message; the subclass says which status a client gets
 * ({@code RequestChecks.decodingFailed} maps them), the message names the rule, for the error body.
 *
 * <p>No stack trace: a hostile client can make the proxy build one of these per connection, and where it
 * was thrown says nothing the message does not.
 */
public abstract class RefusedMessageException extends DecoderException {

    private static final long serialVersionUID = 1L;

    RefusedMessageException(String message) {
        super(message);
    }

    @Override
    public final synchronized Throwable fillInStackTrace() {
        return this;
    }
}
