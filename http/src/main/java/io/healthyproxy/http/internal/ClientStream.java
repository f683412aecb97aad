package io.healthyproxy.http.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 stream of a client: one request, run as an {@link Exchange} like any HTTP/1.1 request (the same
 * checks, limits, routing, breakers, retries, hedges and budget), with this stream as its {@link Downstream}.
 * It sits on the stream's child channel behind Netty's {@code Http2StreamFrameToHttpObjectCodec}, so the
 * exchange reads and writes the same HTTP objects as on HTTP/1.1; trailers travel as trailer HEADERS frames,
 * both ways.
 *
 * <p>Flow control both ways: the child channel reads with auto-read off, so a request body is taken from
 * the stream (and its window handed back to the client) only as fast as the backend takes it; and the
 * channel is writable only while the client's window has room, so a slow reader pauses the backend
 * ({@link Exchange#onReadBatchEnd}) instead of filling the proxy's memory.
 *
 * <p>What differs from HTTP/1.1: nothing is ever kept alive, pipelined or lingered on (the connection does
 * that); a refusal or an early answer ends the stream, and a body still arriving is then refused with
 * RST_STREAM (NO_ERROR), as RFC 9113 §8.1 allows; an answer that breaks off resets the stream
 * (INTERNAL_ERROR) instead of closing a connection other streams share. Confined to the connection's event loop.
 */
final class ClientStream extends ChannelDownstream<StreamState> {

    private static final Logger LOG = LoggerFactory.getLogger(ClientStream.class);

    /** Netty's HTTP/2 → HTTP/1 conversion adds these for its own use; they must not reach a backend. */
    private static final List<CharSequence> CONVERSION_HEADERS = List.of(
            HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
            HttpConversionUtil.ExtensionHeaderNames.PATH.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_PROMISE_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text());

    /** The write of the answer's end, once made: a reset of the request's rest must follow it, not overtake it. */
    private ChannelFuture answerWritten;

    ClientStream(ProxyContext proxy) {
        super(proxy, "client stream", StreamState.OPEN);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        identifyClient(ctx.channel().parent() != null ? ctx.channel().parent() : ctx.channel());
        inbox.pull();                               // the head is there already: the stream opened with it
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == StreamState.DONE || state == StreamState.CLOSED) {
            ReferenceCountUtil.release(msg);
        } else {
            inbox.offer(msg);
        }
    }

    @Override
    void handle(Object msg) {
        if (msg instanceof HttpRequest head && state == StreamState.OPEN) {
            onHead(head);
        }
        if (msg instanceof HttpContent content && state != StreamState.DONE) {
            switch (state) {
                case BODY -> bufferBody(content, content instanceof LastHttpContent);
                case UPLOADING -> streamBody(content, content instanceof LastHttpContent);
                default -> content.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpRequest head) {
        HttpHeaders headers = head.headers();
        CONVERSION_HEADERS.forEach(headers::remove);
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 && hosts.stream().distinct().count() == 1) {
            headers.set(HttpHeaderNames.HOST, hosts.get(0));   // :authority and a Host saying the same
        }
        RequestChecks.Refusal refusal = RequestChecks.check(head, proxy.limits);
        if (refusal != null) {
            refuse(refusal);
        } else {
            acceptHead(head);
        }
    }

    /** Named as Envoy's access log does, beside {@code HTTP/1.1}. */
    @Override
    String protocol(HttpRequest head) {
        return "HTTP/2";
    }

    @Override
    void bodyBuffers() {
        moveTo(StreamState.BODY);
    }

    @Override
    void bodyStreams() {
        moveTo(StreamState.UPLOADING);
    }

    @Override
    void bodyComplete() {
        moveTo(StreamState.EXCHANGE);
    }

    /** The refusal ends the stream; a body still on its way is refused with it (RST_STREAM, NO_ERROR). */
    @Override
    void sendRefusal(RequestChecks.Refusal refusal) {
        boolean bodyPending = state != StreamState.EXCHANGE;
        moveTo(StreamState.DONE);
        answerWritten = ctx.write(ProxyResponses.error(ctx.alloc(), refusal.status(), refusal.code(),
                refusal.message()));
        ctx.flush();
        if (bodyPending) {
            refuseRestOfBody();
        }
    }

    /**
     * After the answer's last frame has gone out (DATA waits for the client's window; a reset would not), tells
     * the client to stop sending the request's body: RST_STREAM with NO_ERROR, as RFC 9113 §8.1 says.
     */
    private void refuseRestOfBody() {
        answerWritten.addListener(written -> {
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
            }
        });
    }

    @Override
    void onTimer() {
        long now = proxy.ticker.read();
        switch (state) {
            case BODY -> checkBody(now, false);
            case UPLOADING -> checkBody(now, true);
            case EXCHANGE -> exchange.onTimer(now);
            default -> { }
        }
    }

    // ---- Downstream ---------------------------------------------------------------------------------

    /** An interim answer (103) is a HEADERS frame that does not end the stream; the codec would end it. */
    @Override
    public void sendInterim(HttpResponse interim) {
        ctx.write(new DefaultHttp2HeadersFrame(HttpConversionUtil.toHttp2Headers(interim, true), false),
                ctx.voidPromise());
    }

    /** A stream is never reused: the connection carries on without it, whatever the answer said. */
    @Override
    public boolean canKeepAlive() {
        return true;
    }

    @Override
    public void readBody() {
        if (state == StreamState.UPLOADING) {
            pullBody();
        }
    }

    @Override
    public void exchangeDone(boolean keepAlive) {
        exchange = null;
        boolean bodyPending = state == StreamState.UPLOADING;
        moveTo(StreamState.DONE);
        ctx.flush();
        if (bodyPending && answerWritten != null) {
            refuseRestOfBody();                     // answered before the body ended
        }
    }

    @Override
    public void sendContent(HttpContent content) {
        if (content instanceof LastHttpContent) {
            answerWritten = ctx.write(content);
        } else {
            ctx.write(content, ctx.voidPromise());
        }
    }

    @Override
    public void sendFull(FullHttpResponse response) {
        answerWritten = ctx.write(response);
    }

    @Override
    public void abort() {
        if (state == StreamState.CLOSED) {
            return;
        }
        if (state != StreamState.DONE) {
            moveTo(StreamState.DONE);
        }
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
    }

    /** Unreachable: HTTP/2 forbids the Connection header an upgrade needs, so no request here is one. */
    @Override
    public void startTunnel(HttpResponse switching, Channel backend, long idleNanos, Runnable onClosed) {
        backend.close();
        abort();
        onClosed.run();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && exchange != null) {
            exchange.onClientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The stream closed: answered and done, reset by the client, or its connection went away. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != StreamState.CLOSED) {
            moveTo(StreamState.CLOSED);
        }
        clientGone();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", ctx.channel(), cause.toString(), cause);
        ctx.close();                                // resets this stream only; the connection carries on
    }
}
