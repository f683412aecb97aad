package io.healthyproxy.http.internal.h1;

import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Queue;

/**
 * Encodes requests to a backend, as Netty's {@code HttpRequestEncoder} does, but byte-exact: the
 * request-target and every header value are written one byte per char (ISO-8859-1), so a target decoded by
 * {@link RequestDecoder} (which made one char of each byte) reaches the backend as the client sent it.
 * Netty's encoder writes the target as UTF-8, which turned {@code /caf\xc3\xa9.txt} into
 * {@code /caf\xc3\x83\xc2\xa9.txt}. Fields are written in order, a field line still as decoded exactly as
 * it was read (see {@link MessageEncoder} for bodies and what is refused). A target with a space, a control
 * char or a char above 0xFF is an {@link EncoderException}; an empty one is written as {@code /}.
 *
 * <p>{@link UpstreamCodec} pairs it with a {@link ResponseDecoder}; on its own:
 * {@code pipeline.addLast(new RequestEncoder())}. Confined to the channel's event loop.
 */
public final class RequestEncoder extends MessageEncoder {

    private final Queue<HttpMethod> sent;

    /** An encoder on its own. */
    public RequestEncoder() {
        this(null);
    }

    /** An encoder that adds the method of every request head it writes to {@code sent} (see {@link UpstreamCodec}). */
    RequestEncoder(Queue<HttpMethod> sent) {
        this.sent = sent;
    }

    @Override
    boolean hasNoBody(HttpMessage head) {
        return false;
    }

    @Override
    void startLine(HttpMessage head, Scratch s) {
        HttpRequest request = (HttpRequest) head;
        if (sent != null) {
            sent.add(request.method());
        }
        s.put(request.method().asciiName());
        String uri = request.uri();
        s.room(uri.length() + 3);
        s.put((byte) ' ');
        if (uri.isEmpty()) {
            s.put((byte) '/');
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c > 0xFF || c == 0x7F) {
                throw new EncoderException("the request-target has a space, a control char or a char > 0xFF");
            }
            s.put((byte) c);
        }
        s.put((byte) ' ');
        s.putText(request.protocolVersion().text());
        s.crlf();
    }
}
