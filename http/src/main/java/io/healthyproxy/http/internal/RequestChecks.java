package io.healthyproxy.http.internal;

import io.healthyproxy.http.config.Limits;
import io.healthyproxy.http.internal.h1.Authority;
import io.healthyproxy.http.internal.h1.MalformedMessageException;
import io.healthyproxy.http.internal.h1.RequestTarget;
import io.healthyproxy.http.internal.h1.UnsupportedCodingException;
import io.healthyproxy.http.internal.h1.UnsupportedVersionException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Iterator;
import java.util.List;

/**
 * What makes a client's request unacceptable before any backend sees it, and the status that says so.
 * Every refusal closes the connection: after a malformed request the proxy cannot know where the next one
 * starts.
 *
 * <p>The decoder ({@link io.healthyproxy.http.internal.h1.RequestDecoder}) refuses what breaks RFC 9112's
 * syntax and framing; {@link #decodingFailed} maps its exceptions to statuses. The framing checks here
 * repeat some of its rules, so that they hold with Netty's decoder too. What only this class checks: the
 * Host rules of RFC 9110 §7.2 (one, valid, required in HTTP/1.1), the form of the request-target
 * (RFC 9112 §3.2), CONNECT (405: a reverse proxy), the header count and the body size.
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
        Refusal host = checkHost(request);
        if (host != null) {
            return host;
        }
        String uri = request.uri();
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            try {
                RequestTarget.parse(request.method(), uri);     // origin-form, the usual case, needs no parsing
            } catch (MalformedMessageException e) {
                return badRequest(e.getMessage());
            }
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
            if (request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                return badRequest("both Content-Length and Transfer-Encoding are present");
            }
            Refusal coding = checkCodings(codings);
            if (coding != null) {
                return coding;
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

    /**
     * RFC 9110 §7.2, RFC 9112 §3.2: HTTP/1.1 needs exactly one Host (HTTP/1.0 may have none), and its value
     * must be a valid authority: no spaces or control chars, no comma, no userinfo, a port that is a port.
     */
    private static Refusal checkHost(HttpRequest request) {
        // Read as it came, no String made: this runs on every request.
        Iterator<? extends CharSequence> hosts = request.headers().valueCharSequenceIterator(HttpHeaderNames.HOST);
        if (!hosts.hasNext()) {
            return request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? null
                    : badRequest("an HTTP/1.1 request needs a Host header");
        }
        CharSequence host = hosts.next();
        if (hosts.hasNext()) {
            return badRequest("more than one Host header");
        }
        return Authority.isValid(host, false) ? null : badRequest("an invalid Host header");
    }

    /**
     * RFC 9112 §6.1 and §6.3: the codings of every Transfer-Encoding line, in order, must end in one chunked;
     * codings before it are not implemented (501), anything else cannot be framed (400).
     */
    private static Refusal checkCodings(List<String> lines) {
        String[] codings = String.join(",", lines).split(",", -1);
        for (int i = 0; i < codings.length; i++) {
            String coding = codings[i].strip();
            boolean last = i == codings.length - 1;
            if (coding.isEmpty() || coding.equalsIgnoreCase("chunked") != last) {
                return badRequest("unsupported Transfer-Encoding: chunked must be the final coding, applied once");
            }
        }
        return codings.length == 1 ? null : new Refusal(HttpResponseStatus.NOT_IMPLEMENTED, "not_implemented",
                "transfer codings other than chunked are not implemented");
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
        if (cause instanceof UnsupportedVersionException) {
            return new Refusal(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "http_version_not_supported",
                    cause.getMessage());
        }
        if (cause instanceof UnsupportedCodingException) {
            return new Refusal(HttpResponseStatus.NOT_IMPLEMENTED, "not_implemented", cause.getMessage());
        }
        String reason = cause == null || cause.getMessage() == null ? "malformed request" : cause.getMessage();
        return badRequest(reason.length() > 200 ? reason.substring(0, 200) : reason);
    }

    private static Refusal badRequest(String message) {
        return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad_request", message);
    }
}
