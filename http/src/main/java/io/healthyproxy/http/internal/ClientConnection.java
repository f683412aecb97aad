package io.healthyproxy.http.internal;

import io.healthyproxy.http.config.Limits;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: reads one request at a time (auto-read off; decoded messages, pipelined requests
 * included, wait in a {@link PullQueue} until asked for), runs an {@link Exchange} for it, and writes the
 * answer.
 *
 * <p>Between requests it enforces two clocks: a connection that sends nothing is closed after
 * {@code clientIdle}; one that has started a request must finish its head within {@code requestHeader}, or
 * it gets 408 (slowloris). Refused requests get their 4xx and the connection is closed. Confined to the
 * connection's event loop.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements ClientSide {

    private final ProxyContext proxy;
    private final Limits limits;
    private ChannelHandlerContext ctx;
    private String clientAddress = "unknown";
    /** A buffered request whose body is still arriving. */
    private ProxiedRequest receiving;
    private Exchange exchange;
    private boolean streamingBody;
    private boolean waitingForRequest;
    private boolean bytesArrived;
    private boolean closing;
    private long waitingSince;
    private ScheduledFuture<?> waitTimer;
    private PullQueue inbox;

    ClientConnection(ProxyContext proxy) {
        this.proxy = proxy;
        this.limits = proxy.config.limits();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.inbox = new PullQueue(this::handle, ctx::read);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            clientAddress = remote.getAddress().getHostAddress();
        }
        if (proxy.clientConnections.incrementAndGet() > limits.maxClientConnections()) {
            closing = true;
            ctx.writeAndFlush(ProxyResponses.error(ctx.alloc(), HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too_many_connections", "the proxy has too many client connections"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        awaitRequest();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        proxy.clientConnections.decrementAndGet();
        cancelWaitTimer();
        inbox.clear();
        if (receiving != null) {
            receiving.release();
            receiving = null;
        }
        if (exchange != null) {
            Exchange gone = exchange;
            exchange = null;
            gone.onClientGone();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inbox.offer(msg);
    }

    /** One decoded message, when this connection asked for it. */
    private void handle(Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest head) {
            onRequestHead(head);
        }
        if (msg instanceof HttpContent content) {
            onContent(content);
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Called by the {@link ArrivalMarker} for every read, before decoding. */
    void onBytes() {
        if (waitingForRequest && !bytesArrived) {
            bytesArrived = true;
            rescheduleWaitTimer(proxy.config.timeouts().requestHeader().toNanos());
        }
    }

    private void onRequestHead(HttpRequest head) {
        waitingForRequest = false;
        cancelWaitTimer();
        if (exchange != null || receiving != null) {
            refuse(new RequestChecks.Refusal(HttpResponseStatus.BAD_REQUEST, "bad_request", "unexpected request"));
            return;
        }
        RequestChecks.Refusal refusal = RequestChecks.check(head, limits);
        if (refusal != null) {
            refuse(refusal);
            return;
        }
        boolean chunked = HttpUtil.isTransferEncodingChunked(head);
        long length = HttpUtil.getContentLength(head, 0L);
        boolean streamed = chunked || length > limits.maxBufferedBodyBytes();
        if ((chunked || length > 0) && HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        ProxiedRequest request = new ProxiedRequest(head, clientAddress, streamed, ctx.alloc());
        if (streamed) {
            streamingBody = true;
            exchange = new Exchange(proxy, this, request);
            exchange.start();
        } else {
            receiving = request;
            inbox.pull();
        }
    }

    private void onContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release();
            if (streamingBody && exchange != null) {
                abort();                            // half a request went out already: only closing is honest
            } else {
                refuse(RequestChecks.decodingFailed(content.decoderResult().cause()));
            }
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (receiving != null) {
            if (receiving.bodyBytes() + content.content().readableBytes() > limits.maxBufferedBodyBytes()) {
                content.release();
                refuse(RequestChecks.tooLarge(limits));
                return;
            }
            receiving.append(content);
            if (last) {
                exchange = new Exchange(proxy, this, receiving);
                receiving = null;
                exchange.start();
            } else {
                inbox.pull();
            }
        } else if (streamingBody && exchange != null) {
            if (exchange.request().bodyBytes() + content.content().readableBytes() > limits.maxBodyBytes()) {
                content.release();
                abort();                            // the backend has part of it already: only closing is honest
                return;
            }
            if (last) {
                streamingBody = false;
            }
            exchange.onBodyChunk(content);
        } else {
            content.release();                      // the rest of a body nobody wants any more
            if (!last) {
                inbox.pull();
            }
        }
    }

    private void refuse(RequestChecks.Refusal refusal) {
        closing = true;
        if (receiving != null) {
            receiving.release();
            receiving = null;
        }
        FullHttpResponse response = ProxyResponses.error(ctx.alloc(), refusal.status(), refusal.code(), refusal.message());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        proxy.events.requestCompleted(null, refusal.status().code(), refusal.code(), null, 0, 0, 0);
    }

    // ---- waiting for the next request ------------------------------------------------------------------

    private void awaitRequest() {
        if (proxy.isDraining()) {
            closing = true;
            ctx.close();
            return;
        }
        waitingForRequest = true;
        bytesArrived = false;
        waitingSince = proxy.ticker.read();
        rescheduleWaitTimer(Math.min(proxy.config.timeouts().clientIdle().toNanos(),
                proxy.config.timeouts().requestHeader().toNanos()));
        inbox.pull();
    }

    private void onWaitTimer() {
        waitTimer = null;
        if (!waitingForRequest || closing) {
            return;
        }
        if (bytesArrived) {
            refuse(new RequestChecks.Refusal(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
                    "the request head did not arrive in time"));
            return;
        }
        long idle = proxy.ticker.read() - waitingSince;
        long limit = proxy.config.timeouts().clientIdle().toNanos();
        if (idle >= limit) {
            closing = true;
            ctx.close();
        } else {
            rescheduleWaitTimer(limit - idle);
        }
    }

    private void rescheduleWaitTimer(long nanos) {
        cancelWaitTimer();
        waitTimer = ctx.executor().schedule(this::onWaitTimer, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancelWaitTimer() {
        if (waitTimer != null) {
            waitTimer.cancel(false);
            waitTimer = null;
        }
    }

    /** Closes an idle connection at once (the proxy is draining); a busy one finishes its exchange first. */
    void closeIfIdle() {
        if (exchange == null && receiving == null && !closing) {
            closing = true;
            ctx.close();
        }
    }

    // ---- ClientSide: what the exchange writes ---------------------------------------------------------

    @Override
    public EventLoop loop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public void sendHead(HttpResponse head) {
        ctx.write(head, ctx.voidPromise());
    }

    @Override
    public void sendContent(HttpContent content) {
        ctx.write(content, ctx.voidPromise());
    }

    @Override
    public void sendFull(FullHttpResponse response) {
        ctx.write(response, ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void readBody() {
        inbox.pull();
    }

    @Override
    public void exchangeDone(boolean keepAlive) {
        exchange = null;
        if (!keepAlive || streamingBody || proxy.isDraining()) {
            closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.flush();
            awaitRequest();
        }
    }

    @Override
    public void abort() {
        closing = true;
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && exchange != null) {
            exchange.onClientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes from clients are routine; the exchange learns of it via channelInactive.
        ctx.close();
    }
}
