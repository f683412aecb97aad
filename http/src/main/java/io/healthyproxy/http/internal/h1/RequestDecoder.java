package io.healthyproxy.http.internal.h1;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.SocketAddress;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a client's requests (RFC 9112), strictly: the proxy's replacement for Netty's
 * {@code HttpRequestDecoder}, emitting the same objects: a {@link HttpRequest} head (a
 * {@link DefaultHttpRequest}), {@code HttpContent} pieces, a {@code LastHttpContent} with the trailer fields,
 * and a refusal as a message whose {@code decoderResult()} fails with one of this package's
 * {@link RefusedMessageException}s or Netty's {@code TooLongHttpLineException} / {@code TooLongHttpHeaderException}
 * ({@code RequestChecks.decodingFailed} turns them into 400, 501, 505, 414, 431). Unlike Netty it never
 * emits a {@code FullHttpRequest}: a head that could not be parsed is reported on a placeholder head
 * ({@code GET /bad-request HTTP/1.0}) that carries no content, so it is one refusal, not a head and a body.
 *
 * <p>The rules beyond {@link FieldParser}'s and {@link ChunkLine}'s, each refused with 400 unless stated:
 * <ul>
 *   <li>request line (§3): a token method, exactly one SP, a target of any bytes but control bytes and SP
 *       (bytes 0x80–0xFF are kept as sent: {@link HttpRequest#uri()} has one char per byte, ISO-8859-1, which
 *       {@link RequestEncoder} writes back unchanged), exactly one SP, {@code HTTP/1.1} or {@code HTTP/1.0}
 *       (another {@code HTTP/x.y} is 505), CRLF. A bare LF ends no line here (Netty's default too); a bare CR
 *       is never a line end.</li>
 *   <li>framing (§6): Transfer-Encoding with Content-Length, Transfer-Encoding in HTTP/1.0, a final coding other
 *       than chunked (§6.3), chunked twice or not last, several Content-Length lines (even equal ones), a
 *       Content-Length that is not 1*DIGIT; codings before a final chunked ({@code gzip, chunked}) are 501.</li>
 * </ul>
 *
 * <p><b>Protocol switches.</b> After a complete request carrying {@code Upgrade}, or a {@code CONNECT}, the
 * decoder holds back whatever follows, undecoded, so the proxy can remove it from the pipeline and tunnel
 * the bytes: {@code ByteToMessageDecoder} hands what it holds to the next handler on removal. If the proxy
 * instead asks for more input ({@code read()} passes through this handler), the connection stays HTTP and
 * what was held back is decoded as the next request. Holding back is bounded by one body piece.
 *
 * <p>Construct one per connection: {@code pipeline.addLast("decoder", new RequestDecoder(DecoderLimits.forClients(limits), arrivals))}.
 * Confined to the channel's event loop.
 */
public final class RequestDecoder extends MessageDecoder implements ChannelOutboundHandler {

    /**
     * Hears of every read before it is decoded: the first bytes of a request may have come, before there is a
     * whole head to show (when the request-header timeout starts, as opposed to a keep-alive connection's idle
     * one). Told here rather than by a handler of its own in front of the decoder: one handler and its context
     * less on every connection, and one hop less on every read.
     */
    public interface Arrivals {
        void bytesArrived();

        Arrivals NONE = () -> { };
    }

    private final Arrivals arrivals;
    private boolean switchesProtocols;

    public RequestDecoder(DecoderLimits limits) {
        this(limits, Arrivals.NONE);
    }

    public RequestDecoder(DecoderLimits limits, Arrivals arrivals) {
        super(limits);
        this.arrivals = arrivals;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        arrivals.bytesArrived();
        super.channelRead(ctx, msg);
    }

    @Override
    HttpMessage parseHead(byte[] a, WireHeaders headers, FieldParser fields) {
        int i = 0;
        byte b = a[i];
        while (Octets.is(b, Octets.TOKEN)) {
            b = a[++i];
        }
        if (i == 0) {
            throw new MalformedMessageException("a request line that does not start with a method");
        }
        if (b != ' ') {
            throw new MalformedMessageException("a method not followed by one space");
        }
        HttpMethod method = method(a, 0, i);
        int targetStart = ++i;
        b = a[i];
        while (Octets.is(b, Octets.TARGET)) {
            b = a[++i];
        }
        if (i == targetStart) {
            throw new MalformedMessageException(b == ' ' ? "more than one space after the method" : "no request-target");
        }
        if (b != ' ') {
            throw new MalformedMessageException(b == '\r' || b == '\n' ? "a request line without an HTTP version"
                    : "a control byte in the request-target");
        }
        String uri = new String(a, targetStart, i - targetStart, StandardCharsets.ISO_8859_1);
        i++;
        HttpVersion version = httpVersion(a, i);
        i += 8;
        if (a[i] != '\r' || a[i + 1] != '\n') {
            throw new MalformedMessageException(a[i] == '\n' ? "a line ending in a bare LF (CRLF expected)"
                    : "something after the HTTP version");
        }
        fields.parse(a, i + 2, headers);
        return new DefaultHttpRequest(version, method, uri, headers, false);     // validated: not again
    }

    /** The method as one of Netty's constants when it is one (no allocation), else a new one. */
    private static HttpMethod method(byte[] a, int from, int length) {
        HttpMethod known = switch (length) {
            case 3 -> is(a, from, HttpMethod.GET) ? HttpMethod.GET : is(a, from, HttpMethod.PUT) ? HttpMethod.PUT : null;
            case 4 -> is(a, from, HttpMethod.POST) ? HttpMethod.POST : is(a, from, HttpMethod.HEAD) ? HttpMethod.HEAD : null;
            case 5 -> is(a, from, HttpMethod.PATCH) ? HttpMethod.PATCH : is(a, from, HttpMethod.TRACE) ? HttpMethod.TRACE
                    : is(a, from, HttpMethod.QUERY) ? HttpMethod.QUERY : null;
            case 6 -> is(a, from, HttpMethod.DELETE) ? HttpMethod.DELETE : null;
            case 7 -> is(a, from, HttpMethod.OPTIONS) ? HttpMethod.OPTIONS
                    : is(a, from, HttpMethod.CONNECT) ? HttpMethod.CONNECT : null;
            default -> null;
        };
        // Methods are case-sensitive (RFC 9110 §9.1): "get" is a method of its own, not GET.
        return known != null ? known : new HttpMethod(new String(a, from, length, StandardCharsets.ISO_8859_1));
    }

    private static boolean is(byte[] a, int from, HttpMethod method) {
        AsciiString name = method.asciiName();
        int offset = name.arrayOffset();
        return Arrays.equals(a, from, from + name.length(), name.array(), offset, offset + name.length());
    }

    @Override
    long bodyOf(HttpMessage head, FieldParser fields) {
        HttpRequest request = (HttpRequest) head;
        switchesProtocols = fields.upgrade || request.method() == HttpMethod.CONNECT;
        if (fields.transferEncodings > 0) {
            if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
                throw new MalformedMessageException("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (fields.contentLengths > 0) {
                throw new MalformedMessageException("both Transfer-Encoding and Content-Length");
            }
            if (!fields.chunkedLast) {
                throw new MalformedMessageException("a request whose final transfer coding is not chunked");
            }
            if (fields.codings > 1) {
                throw new UnsupportedCodingException("transfer codings other than chunked are not implemented");
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
        return 0;
    }

    @Override
    State afterMessage(HttpMessage head) {
        return switchesProtocols ? State.PAUSED : State.HEAD;
    }

    @Override
    HttpMessage placeholder() {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request", new WireHeaders());
    }

    // ---- outbound: a read() asked for while paused means the connection stays HTTP -------------------------

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (state() == State.PAUSED) {
            unpause();
            if (internalBuffer().isReadable()) {
                // Decode what was held back first, outside the caller's stack (which may be in the middle of
                // handling the last message); the socket is read only if that yields no message.
                ctx.executor().execute(() -> decodeHeldBack(ctx));
                return;
            }
        }
        ctx.read();
    }

    private void decodeHeldBack(ChannelHandlerContext ctx) {
        if (ctx.isRemoved()) {
            return;
        }
        try {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
            channelReadComplete(ctx);                       // reads the socket if nothing was decoded
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        ctx.bind(localAddress, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
            ChannelPromise promise) {
        ctx.connect(remoteAddress, localAddress, promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.close(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
