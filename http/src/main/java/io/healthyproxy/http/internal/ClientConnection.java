package io.healthyproxy.http.internal;

import io.healthyproxy.core.time.DeadlineTimer;
import io.healthyproxy.http.internal.h1.RequestDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 client connection: reads one request at a time (auto-read off; decoded messages, pipelined
 * requests included, wait in a {@link PullQueue} until asked for), runs an {@link Exchange} for it, and is
 * the exchange's {@link Downstream}. Its life is a {@link ClientState}; every move goes through
 * {@link #moveTo}, which refuses one the table does not list.
 *
 * <p>Its own clocks: a connection that sends nothing is closed after {@code clientIdle}; one that has started
 * a request head must finish it within {@code requestHeader}, or gets 408 (slowloris). Refused requests get
 * their 4xx and the connection is closed without losing the answer (see {@link #closeAfter}).
 *
 * <p>All of the connection's clocks, and those of the exchange it serves, share one {@link DeadlineTimer}: a
 * busy keep-alive connection schedules a task every few requests rather than several per request. A wake-up
 * checks the connection's deadline and hands the rest to the exchange. Confined to the connection's event loop.
 */
final class ClientConnection extends ChannelDownstream<ClientState> implements RequestDecoder.Arrivals {

    /** How long a connection closing after its last answer keeps discarding what the client sends. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** The client shut its sending side (half-close): answer what it asked, then close. */
    private boolean inputShut;
    /** In {@link ClientState#TUNNEL}. */
    private Tunnel tunnel;

    ClientConnection(ProxyContext proxy) {
        super(proxy, "client connection", ClientState.IDLE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        identifyClient(ctx.channel());
        if (proxy.clientConnected() > proxy.limits.maxClientConnections()) {
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
        proxy.clientDisconnected();
        if (state != ClientState.CLOSED) {
            moveTo(ClientState.CLOSED);
        }
        if (tunnel != null) {
            tunnel.close();
        }
        clientGone();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == ClientState.TUNNEL) {
            tunnel.clientReadComplete();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == ClientState.TUNNEL) {
            tunnel.fromClient(msg);
            return;
        }
        if (state == ClientState.LINGER || state == ClientState.CLOSED) {
            ReferenceCountUtil.release(msg);            // the answer is out: what the client still sends is dropped
            return;
        }
        inbox.offer(msg);
    }

    @Override
    void handle(Object msg) {
        if (state == ClientState.LINGER || state == ClientState.CLOSED) {
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

    /** Called by the decoder for every read, before decoding: a head may be starting. */
    @Override
    public void bytesArrived() {
        if (state == ClientState.IDLE) {
            moveTo(ClientState.HEAD);
            deadline = proxy.ticker.read() + proxy.requestHeaderNanos;
            timer.wakeBy(deadline);             // a no-op in practice: see wakeForWaiting
        }
    }

    private void onRequestHead(HttpRequest head) {
        if (state != ClientState.IDLE && state != ClientState.HEAD) {
            refuse(new RequestChecks.Refusal(HttpResponseStatus.BAD_REQUEST, "bad_request", "unexpected request"));
            return;
        }
        RequestChecks.Refusal refusal = RequestChecks.check(head, proxy.limits);
        if (refusal != null) {
            refuse(refusal);
            return;
        }
        acceptHead(head);
    }

    @Override
    void bodyBuffers() {
        moveTo(ClientState.BODY);
    }

    @Override
    void bodyStreams() {
        moveTo(ClientState.UPLOADING);
    }

    @Override
    void bodyComplete() {
        moveTo(ClientState.EXCHANGE);
    }

    private void onContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release();
            if (state == ClientState.UPLOADING) {
                abort();                            // half a request went out already: only closing is honest
            } else {
                refuse(RequestChecks.decodingFailed(content.decoderResult().cause()));
            }
            return;
        }
        boolean last = content instanceof LastHttpContent;
        switch (state) {
            case BODY -> bufferBody(content, last);
            case UPLOADING -> streamBody(content, last);
            default -> content.release();           // the rest of a body nobody wants any more
        }
    }

    @Override
    void sendRefusal(RequestChecks.Refusal refusal) {
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
        moveTo(ClientState.LINGER);
        ctx.writeAndFlush(last).addListener(written -> linger());
    }

    private void linger() {
        if (state != ClientState.LINGER) {
            return;                                 // closed while the answer was being written
        }
        if (!(ctx.channel() instanceof DuplexChannel duplex) || !duplex.isActive()) {
            close();
            return;
        }
        if (inputShut) {
            close();                                // the client has finished sending: nothing to discard
            return;
        }
        deadline = proxy.ticker.read() + LINGER_NANOS;
        timer.wakeBy(deadline);
        duplex.shutdownOutput();
        inbox.clear();
        ctx.channel().config().setAutoRead(true);      // discard at the rate the client sends, nothing kept
    }

    private void close() {
        moveTo(ClientState.CLOSED);
        ctx.close();
    }

    // ---- waiting for the next request ------------------------------------------------------------------

    private void awaitRequest() {
        if (proxy.isDraining()) {
            close();
            return;
        }
        if (state != ClientState.IDLE) {
            moveTo(ClientState.IDLE);
        }
        long now = proxy.ticker.read();
        deadline = now + proxy.clientIdleNanos;
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
        timer.wakeBy(deadline - headerLimit < 0 ? deadline : headerLimit);
    }

    /** The timer woke: the connection's own deadline, or the exchange's. */
    @Override
    void onTimer() {
        long now = proxy.ticker.read();
        switch (state) {
            case IDLE -> {
                if (now - deadline >= 0) {
                    close();
                } else {
                    wakeForWaiting(now);
                }
            }
            case HEAD -> {
                if (now - deadline >= 0) {
                    refuse(new RequestChecks.Refusal(HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
                            "the request head did not arrive in time"));
                } else {
                    timer.wakeBy(deadline);
                }
            }
            case BODY -> checkBody(now, false);
            case UPLOADING -> checkBody(now, true);
            case EXCHANGE -> exchange.onTimer(now);
            case TUNNEL -> tunnel.onTimer(now);
            case LINGER -> {
                if (deadline != 0 && now - deadline >= 0) {
                    close();
                } else if (deadline != 0) {
                    timer.wakeBy(deadline);
                }
            }
            case CLOSED -> { }
        }
    }

    /** Closes an idle connection at once (the proxy is draining); a busy one finishes its exchange first. */
    void closeIfIdle() {
        if (state == ClientState.IDLE || state == ClientState.HEAD) {
            close();
        }
    }

    // ---- Downstream: what the exchange writes ---------------------------------------------------------

    @Override
    public void sendInterim(HttpResponse interim) {
        ctx.write(interim, ctx.voidPromise());
    }

    @Override
    public boolean canKeepAlive() {
        return !inputShut && !proxy.isDraining();
    }

    @Override
    public void readBody() {
        if (state == ClientState.UPLOADING) {
            pullBody();
        }
    }

    @Override
    public void exchangeDone(boolean keepAlive) {
        boolean uploading = state == ClientState.UPLOADING;
        exchange = null;
        if (!keepAlive || uploading || inputShut || proxy.isDraining()) {
            closeAfter(Unpooled.EMPTY_BUFFER);          // a client still uploading must get the answer too
        } else {
            ctx.flush();
            awaitRequest();
        }
    }

    @Override
    public void abort() {
        if (state != ClientState.CLOSED) {
            close();
        }
    }

    @Override
    public void startTunnel(HttpResponse switching, Channel backend, long idleNanos, Runnable onClosed) {
        moveTo(ClientState.TUNNEL);
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, switching.status(), Unpooled.EMPTY_BUFFER,
                switching.headers(), EmptyHttpHeaders.INSTANCE));
        tunnel = new Tunnel(ctx.channel(), backend, proxy.ticker, timer::wakeBy, idleNanos, () -> {
            exchange = null;
            onClosed.run();
        });
        // From here on bytes are not HTTP, either way: the codecs go (a decoder hands on what it still held).
        backend.pipeline().replace("upstream", "tunnel", tunnel.backendHandler());
        backend.pipeline().remove("http");
        inbox.clear();
        ctx.pipeline().remove("encoder");
        ctx.pipeline().remove("decoder");
        tunnel.start();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (state == ClientState.TUNNEL) {
            tunnel.clientWritable();
        } else if (ctx.channel().isWritable() && exchange != null) {
            exchange.onClientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * The client shut its sending side (a half-close: it has said all it will). A complete request is still
     * answered, as HAProxy does, and the connection closed after it; an incomplete one cannot be, and an idle
     * or lingering connection is done.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof ChannelInputShutdownEvent)) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        inputShut = true;
        switch (state) {
            case TUNNEL -> tunnel.clientInputShut();
            case EXCHANGE -> { }                    // answered, then closed (exchangeDone)
            case UPLOADING -> {
                if (!exchange.abandon(0, "client_gone")) {
                    abort();
                } else {
                    exchange = null;
                    close();
                }
            }
            case LINGER -> {
                if (deadline != 0) {
                    close();                        // the answer is out; the client is done too
                }
            }
            case CLOSED -> { }
            default -> close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes from clients are routine; the exchange learns of it via channelInactive.
        ctx.close();
    }
}
