package io.healthyproxy.http.internal;

import io.healthyproxy.core.time.DeadlineTimer;
import io.healthyproxy.core.time.ExecutorScheduler;
import io.healthyproxy.http.config.Limits;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
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
import java.net.InetSocketAddress;

/**
 * One client connection: reads one request at a time (auto-read off; decoded messages, pipelined requests
 * included, wait in a {@link PullQueue} until asked for), runs an {@link Exchange} for it, and writes the
 * answer.
 *
 * <p>Between requests it enforces two clocks: a connection that sends nothing is closed after
 * {@code clientIdle}; one that has started a request must finish its head within {@code requestHeader}, or
 * it gets 408 (slowloris). Refused requests get their 4xx and the connection is closed.
 *
 * <p>All of the connection's clocks, and those of the exchange it serves, share one {@link DeadlineTimer}:
 * a busy keep-alive connection schedules a task every few requests rather than several per request.
 * Confined to the connection's event loop.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements ClientSide {

    /** How long a connection closing after its last answer keeps discarding what the client sends. */
    static final long LINGER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

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
    /** After a last answer: discarding input until the client closes or the linger time is up. */
    private boolean lingering;
    private long lingerDeadline;
    /** While waiting for a request: when an idle connection is closed. */
    private long idleDeadline;
    /** While a request head is arriving: when it gets 408. */
    private long headerDeadline;
    private DeadlineTimer timer;
    private PullQueue inbox;

    ClientConnection(ProxyContext proxy) {
        this.proxy = proxy;
        this.limits = proxy.config.limits();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.inbox = new PullQueue(this::handle, ctx::read);
        this.timer = new DeadlineTimer(new ExecutorScheduler(ctx.executor()), proxy.ticker, this::onTimer);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            clientAddress = remote.getAddress().getHostAddress();
        }
        if (proxy.clientConnections.incrementAndGet() > limits.maxClientConnections()) {
            FullHttpResponse refusal = ProxyResponses.error(ctx.alloc(), HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too_many_connections", "the proxy has too many client connections");
            refusal.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            closeAfter(refusal);
            return;
        }
        awaitRequest();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        proxy.clientConnections.decrementAndGet();
        timer.stop();
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
        if (lingering) {
            ReferenceCountUtil.release(msg);            // the answer is out: what the client still sends is dropped
            return;
        }
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
            headerDeadline = proxy.ticker.read() + proxy.requestHeaderNanos;
            timer.wakeBy(headerDeadline);       // a no-op in practice: see awaitRequest
        }
    }

    private void onRequestHead(HttpRequest head) {
        waitingForRequest = false;
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
        // A chunked body starts buffered and is streamed only once it outgrows the buffer (onContent).
        boolean streamed = !chunked && length > limits.maxBufferedBodyBytes();
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
                // Only a chunked body can outgrow the buffer (a longer Content-Length is streamed from the
                // start): stream it from here on, this piece first once the backend connection is up.
                inbox.pushFront(content);
                ProxiedRequest request = receiving;
                receiving = null;
                request.startStreaming();
                streamingBody = true;
                exchange = new Exchange(proxy, this, request);
                exchange.start();
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
                RequestChecks.Refusal tooLarge = RequestChecks.tooLarge(limits);
                if (exchange.abandon(tooLarge.status().code(), tooLarge.code())) {
                    exchange = null;
                    streamingBody = false;
                    sendRefusal(tooLarge);          // the backend saw part of it, but no answer has begun
                } else {
                    abort();                        // an answer is under way: only closing is honest
                }
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
        if (receiving != null) {
            receiving.release();
            receiving = null;
        }
        sendRefusal(refusal);
        proxy.events.requestCompleted(null, refusal.status().code(), refusal.code(), null, 0, 0, 0);
    }

    private void sendRefusal(RequestChecks.Refusal refusal) {
        FullHttpResponse response = ProxyResponses.error(ctx.alloc(), refusal.status(), refusal.code(), refusal.message());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        closeAfter(response);
    }

    // ---- closing without losing the last answer ------------------------------------------------------------

    /**
     * Writes {@code last} and closes the connection without letting the close destroy it. Closing a socket
     * that still has unread input makes the kernel send a reset, and a reset can discard the answer before
     * the client has read it: exactly what happens to a 400 for a request whose body is still arriving, or
     * to a request pipelined behind it. So, as web servers do ("lingering close"): send the answer, shut the
     * sending side (the client sees the end), read and discard whatever still comes, and close when the
     * client does or after {@link #LINGER_NANOS}.
     */
    private void closeAfter(Object last) {
        closing = true;
        waitingForRequest = false;
        ctx.writeAndFlush(last).addListener(written -> linger());
    }

    private void linger() {
        if (!(ctx.channel() instanceof DuplexChannel duplex) || !duplex.isActive() || lingering) {
            ctx.close();
            return;
        }
        lingering = true;
        lingerDeadline = proxy.ticker.read() + LINGER_NANOS;
        timer.wakeBy(lingerDeadline);
        duplex.shutdownOutput();
        inbox.clear();
        ctx.channel().config().setAutoRead(true);      // discard at the rate the client sends, nothing kept
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
        long now = proxy.ticker.read();
        idleDeadline = now + proxy.clientIdleNanos;
        wakeForWaiting(now);
        inbox.pull();
    }

    /**
     * Asks to be woken by the idle deadline, and never later than one request-header timeout from now: a
     * header deadline starts later than now, so it can never be missed, and the first bytes of a request
     * need not touch the timer at all.
     */
    private void wakeForWaiting(long now) {
        long headerLimit = now + proxy.requestHeaderNanos;
        timer.wakeBy(idleDeadline - headerLimit < 0 ? idleDeadline : headerLimit);
    }

    /** The timer woke: check the exchange's deadlines and this connection's own. */
    private void onTimer() {
        long now = proxy.ticker.read();
        if (lingering) {
            if (now - lingerDeadline >= 0) {
                ctx.close();
            } else {
                timer.wakeBy(lingerDeadline);
            }
            return;
        }
        if (closing) {
            return;
        }
        if (exchange != null) {
            exchange.onTimer(now);
        }
        if (!waitingForRequest || closing) {
            return;
        }
        if (bytesArrived) {
            if (now - headerDeadline >= 0) {
                refuse(new RequestChecks.Refusal(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
                        "the request head did not arrive in time"));
            } else {
                timer.wakeBy(headerDeadline);
            }
        } else if (now - idleDeadline >= 0) {
            closing = true;
            ctx.close();
        } else {
            wakeForWaiting(now);
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
    public void wakeBy(long deadline) {
        timer.wakeBy(deadline);
    }

    @Override
    public void readBody() {
        inbox.pull();
    }

    @Override
    public void exchangeDone(boolean keepAlive) {
        exchange = null;
        if (!keepAlive || streamingBody || proxy.isDraining()) {
            closeAfter(Unpooled.EMPTY_BUFFER);          // a client still uploading must get the answer too
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
