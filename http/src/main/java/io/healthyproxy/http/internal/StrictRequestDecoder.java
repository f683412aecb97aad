package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, minus one leniency: a request with both Content-Length and Transfer-Encoding is
 * an error, not something to tidy up. RFC 9112 §6.1 lets a server drop the Content-Length, which Netty does,
 * but a proxy that does so while another hop trusts the Content-Length has a request-smuggling hole.
 * Refusing the request (400, connection closed) closes it.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    StrictRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("both Content-Length and Transfer-Encoding are present");
    }
}
