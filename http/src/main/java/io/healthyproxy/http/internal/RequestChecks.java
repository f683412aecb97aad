package io.healthyproxy.http.internal;

import io.healthyproxy.http.config.Limits;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;
import java.util.Locale;

/**
 * What makes a client's request unacceptable before any backend sees it, and the status that says so.
 * Every refusal closes the connection: after a malformed request the proxy cannot know where the next one
 * starts.
 */
final class RequestChecks {

    /** A refusal: the status and a short reason for the error body. */
    record Refusal(HttpResponseStatus status, String code, String message) {
    }

    private RequestChecks() {
    }

    /** Returns why {@code request} is refused, or null if it may go on. */
    static Refusal check(HttpRequest request, Limits limits) {
        if (request.decoderResult().isFailure()) {
            return decodingFailed(request.decoderResult().cause());
        }
        if (request.method().equals(HttpMethod.CONNECT)) {
            return new Refusal(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "CONNECT is not supported: this is a reverse proxy");
        }
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !request.headers().contains(HttpHeaderNames.HOST)) {
            return badRequest("an HTTP/1.1 request needs a Host header");
        }
        if (request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
            return badRequest("more than one Host header");
        }
        if (request.headers().size() > limits.maxHeaders()) {
            return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too_many_headers",
                    "more than " + limits.maxHeaders() + " header fields");
        }
        List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty()) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                return badRequest("Transfer-Encoding is not allowed in HTTP/1.0");
            }
            if (codings.size() != 1 || !codings.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked")) {
                return badRequest("unsupported Transfer-Encoding: only a single 'chunked' is accepted");
            }
            if (request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                return badRequest("both Content-Length and Transfer-Encoding are present");
            }
        }
        String length = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            long bytes;
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return badRequest("invalid Content-Length");
            }
            if (bytes < 0) {
                return badRequest("invalid Content-Length");
            }
            if (bytes > limits.maxBodyBytes()) {
                return tooLarge(limits);
            }
        }
        return null;
    }

    static Refusal tooLarge(Limits limits) {
        return new Refusal(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                "the request body is larger than " + limits.maxBodyBytes() + " bytes");
    }

    static Refusal decodingFailed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new Refusal(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request_line_too_long",
                    "the request line is too long");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
                    "the request headers are too large");
        }
        if (cause instanceof TooLongFrameException) {
            return badRequest("a part of the request is too long");
        }
        String reason = cause == null || cause.getMessage() == null ? "malformed request" : cause.getMessage();
        return badRequest(reason.length() > 200 ? reason.substring(0, 200) : reason);
    }

    private static Refusal badRequest(String message) {
        return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad_request", message);
    }
}
