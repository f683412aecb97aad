package io.healthyproxy.http.internal.h1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Encodes responses to a client: Netty's {@code HttpResponseEncoder}, rule for rule (a 1xx other than a
 * WebSocket 101, a 204, 205 or 304 has no body: Content-Length and Transfer-Encoding are removed from a 1xx
 * and a 204, a 205 gets {@code Content-Length: 0}), but writing the fields of a response decoded by
 * {@link ResponseDecoder} ({@link WireHeaders}) as they were read, in runs, where Netty's encoder asks the
 * headers for every field and value. See {@link MessageEncoder} for bodies and what is refused.
 *
 * <p>{@code pipeline.addLast("encoder", new ResponseEncoder())}. Confined to the channel's event loop.
 */
public final class ResponseEncoder extends MessageEncoder {

    @Override
    boolean hasNoBody(HttpMessage head) {
        HttpResponse response = (HttpResponse) head;
        int code = response.status().code();
        if (code >= 100 && code < 200) {
            // Netty's rule: WebSocket draft 00's 101 carries a body (its challenge response).
            boolean empty = code != 101 || !response.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
            if (empty) {
                response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
                response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            }
            return empty;
        }
        if (code == 204) {
            response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            return true;
        }
        if (code == 205) {
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            return true;
        }
        return code == 304;
    }

    @Override
    void startLine(HttpMessage head, Scratch s) {
        HttpResponse response = (HttpResponse) head;
        s.putText(response.protocolVersion().text());
        s.room(5);
        s.put((byte) ' ');
        s.put(response.status().codeAsText());
        s.room(1);
        s.put((byte) ' ');
        s.putText(response.status().reasonPhrase());
        s.crlf();
    }
}
