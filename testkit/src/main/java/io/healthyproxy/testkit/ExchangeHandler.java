package io.healthyproxy.testkit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connection of a {@link ControllableBackend}: counts each request when its head arrives, picks its behaviour from the
 * switch of its route, reads its body, then answers in turn.
 *
 * <p>Implementation notes: HTTP/1.1 answers a connection's requests in the order they came, even when they are
 * pipelined and a slow one is still waiting. Each request therefore gets an {@code answered} promise and is answered
 * only once the previous request's promise has completed. A frozen request never completes its promise, so every
 * later request on its connection hangs too, which is what a client of a hung server sees. The chain is bounded by
 * the codec's pipelining limit (128 unanswered requests, then the connection is closed). Confined to the event loop.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {

    private final ResponseWriter writer;
    private final BehaviourSwitch traffic;
    private final BehaviourSwitch health;
    private final Counters counters;
    private final AtomicReference<ReceivedRequest> lastRequest;

    /** The request whose body is being read, or null between requests (and after closeBeforeResponse). */
    private Exchange reading;
    private Future<Void> previousAnswered;

    ExchangeHandler(ResponseWriter writer, BehaviourSwitch traffic, BehaviourSwitch health, Counters counters,
                    AtomicReference<ReceivedRequest> lastRequest) {
        this.writer = writer;
        this.traffic = traffic;
        this.health = health;
        this.counters = counters;
        this.lastRequest = lastRequest;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        previousAnswered = ctx.executor().newSucceededFuture(null);
        counters.onConnectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        counters.onConnectionClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpObject && ((HttpObject) msg).decoderResult().isFailure()) {
                reading = null;
                writer.badRequest(ctx);
                return;
            }
            if (msg instanceof HttpRequest) {
                onHead(ctx, (HttpRequest) msg);
            }
            if (msg instanceof HttpContent && reading != null) {
                reading.onContent((HttpContent) msg);
                if (msg instanceof LastHttpContent) {
                    onRequestRead(ctx, reading);
                    reading = null;
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Peers resetting, or pipelining past the codec's limit: either way this connection is done.
        ctx.close();
    }

    private void onHead(ChannelHandlerContext ctx, HttpRequest request) {
        String path = Exchange.pathOf(request.uri());
        boolean isHealthCheck = path.equals(ControllableBackend.HEALTH_PATH);
        Behaviour behaviour = (isHealthCheck ? health : traffic).current();
        counters.onRequest(path, isHealthCheck, behaviour.kind() == Behaviour.Kind.FREEZE);
        switch (behaviour.kind()) {
            case CLOSE_BEFORE_RESPONSE -> {
                reading = null;
                ctx.close();
                return;
            }
            case FREEZE -> { /* not even "100 Continue" */ }
            default -> {
                if (HttpUtil.is100ContinueExpected(request)) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
                }
            }
        }
        reading = new Exchange(request, path, behaviour);
    }

    private void onRequestRead(ChannelHandlerContext ctx, Exchange exchange) {
        if (!exchange.isHealthCheck()) {
            lastRequest.set(exchange.toReceivedRequest());  // a probe arriving after a test's request must not hide it
        }
        Promise<Void> answered = ctx.executor().newPromise();
        Future<Void> before = previousAnswered;
        previousAnswered = answered;
        Behaviour behaviour = exchange.behaviour();
        switch (behaviour.kind()) {
            case FREEZE -> { /* answered never completes: this request and the ones after it hang */ }
            case SLOW -> ctx.executor().schedule(() -> answerAfter(before, ctx, exchange, answered),
                    behaviour.delay().toNanos(), TimeUnit.NANOSECONDS);
            default -> answerAfter(before, ctx, exchange, answered);
        }
    }

    private void answerAfter(Future<Void> before, ChannelHandlerContext ctx, Exchange exchange,
                             Promise<Void> answered) {
        before.addListener(previousDone -> writer.answer(ctx, exchange, answered));
    }
}
