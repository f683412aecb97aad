package io.healthyproxy.http.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Answers the proxy makes itself: short JSON bodies, so that a client (or a person with curl) can tell a
 * proxy-made 503 from a backend's: {@code {"status":503,"error":"no_backend","message":"…","requestId":"…"}}
 * (the request's id when the request got that far). They carry
 * {@code Server: healthy-proxy}, and never count against a backend.
 */
final class ProxyResponses {

    /** Seconds a client is told to wait before retrying a 503 "no backend" (a circuit opens for seconds). */
    static final int RETRY_AFTER_SECONDS = 1;

    private ProxyResponses() {
    }

    /** An answer to a request refused before it was taken (it has no id yet). */
    static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String code, String message) {
        return error(alloc, status, code, message, null);
    }

    /**
     * An answer to the request {@code requestId} names ({@link RequestId}): the id is in the body and in an
     * {@code X-Request-Id} header, so a client can quote it to whoever reads the access log.
     */
    static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String code, String message,
            String requestId) {
        String json = "{\"status\":" + status.code() + ",\"error\":\"" + code + "\",\"message\":\"" + escape(message)
                + (requestId == null ? "" : "\",\"requestId\":\"" + escape(requestId)) + "\"}\n";
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(alloc, json));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.SERVER, "healthy-proxy")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (requestId != null) {
            response.headers().set(RequestId.HEADER, requestId);
        }
        if (status.code() == 503) {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return response;
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
