package io.healthyproxy.http.internal;

import io.healthyproxy.core.time.DeadlineTimer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;

/**
 * What the two kinds of client side have in common: an HTTP/1.1 connection ({@link ClientConnection}) and an
 * HTTP/2 stream ({@link ClientStream}) each take in one request at a time, run an {@link Exchange} for it and
 * are its {@link Downstream}. Shared here:
 * <ul>
 *   <li>writing the exchange's answer to the channel (each side's codec turns it into its protocol);</li>
 *   <li>one {@link DeadlineTimer} for the side's own deadline and its exchange's (see {@link Alarm});</li>
 *   <li>decoded messages handed over one at a time, when asked for ({@link PullQueue}), so that buffering is
 *       bounded by one read (HTTP/1.1) or one flow-control window (HTTP/2);</li>
 *   <li>the rules for taking in a body: up to {@code maxBufferedBodyBytes} it is buffered (the request can be
 *       retried), a larger one is streamed to one backend as it arrives, and a chunked one (or an HTTP/2 one
 *       without a length) starts buffered and is streamed once it outgrows the buffer; each piece is pulled
 *       only once the backend took the last, and must come within {@code requestBodyIdle}; a streamed body
 *       over {@code maxBodyBytes} gets 413 if no answer has begun.</li>
 * </ul>
 * Each side keeps its own life cycle (a state table) and decides what a refusal looks like on its protocol.
 * Confined to the channel's event loop.
 */
abstract class ChannelDownstream<S extends Enum<S> & Lifecycle<S>> extends ChannelInboundHandlerAdapter
        implements Downstream {

    final ProxyContext proxy;
    /** Names this side in the message of an illegal move: {@code client connection}, {@code client stream}. */
    private final String what;
    /** Where this side is in its life cycle; moved only by {@link #moveTo}. */
    S state;
    ChannelHandlerContext ctx;
    DeadlineTimer timer;
    PullQueue inbox;
    /** The side's own current deadline (ticker reading), or 0 for none. */
    long deadline;
    /** The request whose (small) body is being buffered before any backend is tried, or null. */
    ProxiedRequest receiving;
    /** The exchange under way, or null. */
    Exchange exchange;
    /** The route of the request being taken in, from its head until its exchange starts. */
    private Route route;
    /** The client's IP address, for X-Forwarded-For and the access log. */
    String clientAddress = "unknown";
    /** {@code https} when the client came over TLS, for X-Forwarded-Proto. */
    String scheme = "http";

    ChannelDownstream(ProxyContext proxy, String what, S initial) {
        this.proxy = proxy;
        this.what = what;
        this.state = initial;
    }

    S state() {
        return state;
    }

    /** Moves to {@code next}, which the state's table must list; the new state's own deadline starts unset. */
    final void moveTo(S next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(what + ": " + state + " -> " + next + " is not a legal move");
        }
        state = next;
        deadline = 0;
    }

    /** Learns who the client is from its connection: its address, and whether it came over TLS. */
    final void identifyClient(Channel connection) {
        if (connection.remoteAddress() instanceof InetSocketAddress remote) {
            clientAddress = AddressText.of(remote.getAddress());
        }
        if (connection.pipeline().get(SslHandler.class) != null) {
            scheme = "https";
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.inbox = new PullQueue(this::handle, ctx::read);
        this.timer = new DeadlineTimer(proxy.clock.scheduler(ctx.executor()), proxy.ticker, this::onTimer);
    }

    /** One decoded message, when this side asked for it ({@link PullQueue#pull}). Takes it over. */
    abstract void handle(Object msg);

    /** What the client speaks, as the access log names it: the HTTP/1.x version of its head. */
    String protocol(HttpRequest head) {
        return head.protocolVersion().text();
    }

    /** The timer woke: check this side's deadline, then hand the rest to the exchange. */
    abstract void onTimer();

    /** Sends {@code refusal} as the answer and ends the request (and, for HTTP/1.1, the connection). */
    abstract void sendRefusal(RequestChecks.Refusal refusal);

    /** The body (if any) is buffered from now on, before any backend is tried. */
    abstract void bodyBuffers();

    /** The body is streamed from now on, while its exchange runs. */
    abstract void bodyStreams();

    /** The whole request has arrived. */
    abstract void bodyComplete();

    // ---- taking in a request --------------------------------------------------------------------------

    /**
     * Starts on an accepted head: answers {@code Expect: 100-continue} (the proxy asks the client for the body
     * itself; the backend gets it without asking), and either starts the exchange with a body to stream (a
     * known length over the buffer) or starts buffering.
     */
    final void acceptHead(HttpRequest head) {
        boolean chunked = HttpUtil.isTransferEncodingChunked(head);
        long length = HttpUtil.getContentLength(head, 0L);
        // A chunked body starts buffered and is streamed only once it outgrows the buffer (bufferBody).
        boolean streamed = !chunked && length > proxy.limits.maxBufferedBodyBytes();
        if ((chunked || length > 0) && HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        ProxiedRequest request = new ProxiedRequest(head, clientAddress, scheme, protocol(head), streamed, ctx.alloc());
        route = proxy.route(request);
        request.routedBy(route);
        route.applyTo(request);             // a gRPC call may be streamed from here on (Route.applyTo)
        if (request.isStreamed()) {
            bodyStreams();
            startExchange(request);
        } else {
            bodyBuffers();
            receiving = request;
            pullBody();
        }
    }

    /**
     * Asks for the next piece of a request body; the client has {@code requestBodyIdle} to send it, or gets 408.
     * Only while the proxy waits for the client does that clock run: not while a backend is slow to take what
     * came (a streamed body is pulled only once the previous piece was written).
     */
    final void pullBody() {
        deadline = proxy.ticker.read() + proxy.requestBodyIdleNanos;
        timer.wakeBy(deadline);
        inbox.pull();
    }

    /** Starts the request's exchange on the cluster of the route its head found. */
    final void startExchange(ProxiedRequest request) {
        Route taken = route;
        route = null;
        exchange = new Exchange(proxy, taken, this, request);
        exchange.start();
    }

    /** A piece of a body being buffered; the exchange starts once it is complete, or outgrows the buffer. */
    final void bufferBody(HttpContent content, boolean last) {
        if (receiving.bodyBytes() + content.content().readableBytes() > proxy.limits.maxBufferedBodyBytes()) {
            // Only a body of unknown length can outgrow the buffer (a longer Content-Length is streamed from the
            // start): stream it from here on, this piece first once the backend connection is up.
            inbox.pushFront(content);
            ProxiedRequest request = receiving;
            receiving = null;
            request.startStreaming();
            bodyStreams();
            startExchange(request);
            return;
        }
        receiving.append(content);
        if (last) {
            ProxiedRequest request = receiving;
            receiving = null;
            bodyComplete();
            startExchange(request);
        } else {
            pullBody();
        }
    }

    /** A piece of a streamed body, for the exchange's backend. */
    final void streamBody(HttpContent content, boolean last) {
        if (exchange.request().bodyBytes() + content.content().readableBytes() > proxy.limits.maxBodyBytes()) {
            content.release();
            refuseMidUpload(RequestChecks.tooLarge(proxy.limits));
            return;
        }
        Exchange current = exchange;
        deadline = 0;                               // the piece came: now it is the backend's turn
        if (last) {
            bodyComplete();
        }
        current.onBodyChunk(content);
    }

    /**
     * The client broke a rule while its body was streaming (too large, too slow): the refusal if no answer has
     * begun (the backend saw part of the request, but the exchange's tries are called off, not counted against
     * it), else only closing is honest.
     */
    final void refuseMidUpload(RequestChecks.Refusal refusal) {
        if (exchange.abandon(refusal.status().code(), refusal.code())) {
            exchange = null;
            sendRefusal(refusal);
        } else {
            abort();
        }
    }

    /** Refuses a request that has not reached any backend: the answer, and a line in the events. */
    final void refuse(RequestChecks.Refusal refusal) {
        if (receiving != null) {
            receiving.release();
            receiving = null;
        }
        sendRefusal(refusal);
        proxy.events.requestCompleted(null, refusal.status().code(), refusal.code(), null, 0, 0, 0);
    }

    /** The side's deadline passed while a body was arriving: 408, or closing if an answer is under way. */
    final void bodyTooSlow(boolean streaming) {
        RequestChecks.Refusal refusal = new RequestChecks.Refusal(HttpResponseStatus.REQUEST_TIMEOUT,
                "request_timeout", "the request body stopped arriving");
        if (streaming) {
            refuseMidUpload(refusal);
        } else {
            refuse(refusal);
        }
    }

    /**
     * A wake-up while a body arrives, buffered or {@code streaming}: 408 if the piece asked for is overdue, else
     * a wake-up for it, and (streaming) the exchange's own deadlines.
     */
    final void checkBody(long now, boolean streaming) {
        if (due(now)) {
            bodyTooSlow(streaming);
            return;
        }
        if (deadline != 0) {
            timer.wakeBy(deadline);
        }
        if (streaming) {
            exchange.onTimer(now);
        }
    }

    /** The client is gone: no more wake-ups or messages, a body being buffered is freed, the exchange told. */
    final void clientGone() {
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

    /** Whether this side's own deadline has passed at {@code now}. */
    final boolean due(long now) {
        return deadline != 0 && now - deadline >= 0;
    }

    // ---- Downstream: what the exchange writes ---------------------------------------------------------

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
}
