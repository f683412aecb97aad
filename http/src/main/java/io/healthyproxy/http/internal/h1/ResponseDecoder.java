package io.healthyproxy.http.internal.h1;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Queue;

/**
 * Decodes a backend's responses (RFC 9112), as Netty's {@code HttpClientCodec} decoder does and emitting the
 * same objects: an {@link HttpResponse} head, {@code HttpContent} pieces, a {@code LastHttpContent} with the
 * trailer fields; a malformed response is one message whose {@code decoderResult()} is a failure, after which
 * nothing more is decoded (the connection cannot be reused). It is the decoding half of {@link UpstreamCodec},
 * which tells it the method of each request sent, because the framing of a response depends on it.
 *
 * <p>Framing (§6.3), in order: a response to HEAD, and every 1xx, 204 and 304, has no body whatever its
 * headers say; each 1xx other than 101 (100, 102, 103 with its Link fields) is delivered as a head and an empty
 * {@code LastHttpContent} of its own, and the final response follows; a 101, or a 2xx to CONNECT, ends HTTP on
 * the connection: the bytes that follow are handed on as raw {@code ByteBuf}s. Otherwise a body is chunked
 * (Transfer-Encoding exactly {@code chunked}), or Content-Length long, or, with neither, lasts until the
 * connection closes. Failures, stricter than Netty in places because a proxy must not pass on what it cannot
 * frame: Transfer-Encoding with Content-Length (§6.3 allows either refusing or dropping the length; a proxy
 * that forwards such a response is how response splitting works); a transfer coding other than a single
 * chunked (the proxy could not forward it: it frames what it sends itself); several or invalid
 * Content-Lengths; obs-fold (§5.2 lets a proxy answer 502 instead of unfolding); a status line that is not
 * {@code HTTP/1.x DIGIT DIGIT DIGIT [SP reason]} with a status in 100–599. The reason phrase may be missing
 * (a client should ignore it, §4), and is kept as sent.
 *
 * <p>Confined to the channel's event loop.
 */
public final class ResponseDecoder extends MessageDecoder {

    private final Queue<HttpMethod> methods;
    private State after = State.HEAD;

    /**
     * @param methods the methods of the requests sent, oldest first, which the encoder adds to; each final
     *                response (and a 101) takes one
     */
    public ResponseDecoder(DecoderLimits limits, Queue<HttpMethod> methods) {
        super(limits);
        this.methods = methods;
    }

    @Override
    HttpMessage parseHead(byte[] a, WireHeaders headers, FieldParser fields) {
        HttpVersion version = httpVersion(a, 0);
        int i = 8;
        if (a[i] != ' ' || !isStatusDigit(a[i + 1], '1', '5') || !isStatusDigit(a[i + 2], '0', '9')
                || !isStatusDigit(a[i + 3], '0', '9')) {
            throw new MalformedMessageException("a status line without a status code in 100-599");
        }
        int code = (a[i + 1] - '0') * 100 + (a[i + 2] - '0') * 10 + (a[i + 3] - '0');
        i += 4;
        int reasonStart = i;
        if (a[i] == ' ') {
            reasonStart = ++i;
            while (Octets.is(a[i], Octets.FIELD_VALUE)) {
                i++;
            }
        }
        if (a[i] != '\r' || a[i + 1] != '\n') {
            throw new MalformedMessageException(a[i] == '\n' ? "a line ending in a bare LF (CRLF expected)"
                    : "an invalid byte in the status line");
        }
        HttpResponseStatus status = status(code, a, reasonStart, i);
        fields.parse(a, i + 2, headers);
        return new DefaultHttpResponse(version, status, headers);
    }

    private static boolean isStatusDigit(byte b, char min, char max) {
        return b >= min && b <= max;
    }

    /** Netty's constant when the reason is the usual one (no allocation), else the reason as sent. */
    private static HttpResponseStatus status(int code, byte[] a, int from, int to) {
        HttpResponseStatus usual = HttpResponseStatus.valueOf(code);
        String reason = usual.reasonPhrase();
        if (reason.length() == to - from) {
            int i = 0;
            while (i < reason.length() && reason.charAt(i) == (char) (a[from + i] & 0xFF)) {
                i++;
            }
            if (i == reason.length()) {
                return usual;
            }
        }
        return new HttpResponseStatus(code, new String(a, from, to - from, StandardCharsets.ISO_8859_1));
    }

    @Override
    long bodyOf(HttpMessage head, FieldParser fields) {
        HttpResponse response = (HttpResponse) head;
        int code = response.status().code();
        after = State.HEAD;
        if (code < 200) {
            if (code == 101) {
                methods.poll();
                after = State.RAW;
            }
            return 0;                                       // an interim answer: the request's final one follows
        }
        HttpMethod method = methods.poll();
        if (method == HttpMethod.CONNECT && code < 300) {
            after = State.RAW;
            return 0;
        }
        if (method == HttpMethod.HEAD || code == 204 || code == 304) {
            return 0;
        }
        if (fields.transferEncodings > 0) {
            if (fields.contentLengths > 0) {
                throw new MalformedMessageException("both Transfer-Encoding and Content-Length");
            }
            if (!fields.chunkedLast || fields.codings > 1) {
                throw new MalformedMessageException("a transfer coding other than a single chunked");
            }
            if (response.protocolVersion() == HttpVersion.HTTP_1_0) {
                throw new MalformedMessageException("Transfer-Encoding in an HTTP/1.0 response");
            }
            return CHUNKED;
        }
        if (fields.contentLengths > 1) {
            throw new MalformedMessageException("more than one Content-Length");
        }
        if (fields.contentLengths == 1) {
            if (fields.contentLength < 0) {
                throw new MalformedMessageException("an invalid Content-Length");
            }
            return fields.contentLength;
        }
        return UNTIL_CLOSE;
    }

    @Override
    State afterMessage(HttpMessage head) {
        return after;
    }

    @Override
    HttpMessage placeholder() {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.BAD_GATEWAY, new WireHeaders());
    }
}
