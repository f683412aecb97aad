package io.healthyproxy.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Promise;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link ControllableBackend}'s answers, well-formed or not. Stateless; every method runs on the connection's
 * event loop and completes {@code answered} once its bytes have been handed to the socket (or failed to be), so
 * that the next answer on the connection may follow.
 */
final class ResponseWriter {

    /** The {@code Content-Length} that {@link BehaviourSwitch#resetMidResponse()} promises and never delivers. */
    static final int PROMISED_LENGTH = 1024;

    private static final byte[] GARBAGE = "garbage\r\n\r\n".getBytes(US_ASCII);

    /** Request headers echoed back, each under the response header it is echoed as. */
    private static final List<Map.Entry<String, String>> SEEN = List.of(
            Map.entry("Host", "X-Seen-Host"),
            Map.entry("X-Forwarded-For", "X-Seen-Forwarded-For"),
            Map.entry("X-Forwarded-Proto", "X-Seen-Forwarded-Proto"),
            Map.entry("X-Forwarded-Host", "X-Seen-Forwarded-Host"),
            Map.entry("Forwarded", "X-Seen-Forwarded"),
            Map.entry("Via", "X-Seen-Via"),
            Map.entry("Connection", "X-Seen-Connection"));

    private final String name;

    ResponseWriter(String name) {
        this.name = name;
    }

    /** Sends the answer {@code exchange}'s behaviour calls for; never called for requests that get no answer. */
    void answer(ChannelHandlerContext ctx, Exchange exchange, Promise<Void> answered) {
        Behaviour behaviour = exchange.behaviour();
        switch (behaviour.kind()) {
            case OK, SLOW -> ok(ctx, exchange, answered);
            case STATUS -> full(ctx, exchange, HttpResponseStatus.valueOf(behaviour.status()),
                    (name + " answers " + behaviour.status()).getBytes(UTF_8), answered);
            case RESET_MID_RESPONSE -> resetMidResponse(ctx, exchange, answered);
            case MALFORMED_RESPONSE -> malformed(ctx, answered);
            case FREEZE, CLOSE_BEFORE_RESPONSE ->
                    throw new IllegalStateException(behaviour.kind() + " requests get no answer");
        }
    }

    /** {@code 400} and close, for a request the decoder could not make sense of. */
    void badRequest(ChannelHandlerContext ctx) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.BAD_REQUEST, Unpooled.wrappedBuffer("bad request".getBytes(US_ASCII)));
        response.headers().set("X-Backend", name)
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(written -> ctx.close());
    }

    /**
     * Resets {@code channel}: SO_LINGER 0, then close, so the kernel sends RST instead of FIN and drops whatever it
     * had not sent yet.
     */
    static ChannelFuture reset(Channel channel) {
        try {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (ChannelException alreadyClosed) {
            // Nothing left to reset; close() below is then a no-op.
        }
        return channel.close();
    }

    private void ok(ChannelHandlerContext ctx, Exchange exchange, Promise<Void> answered) {
        if (!exchange.isEcho()) {
            full(ctx, exchange, HttpResponseStatus.OK, name.getBytes(UTF_8), answered);
        } else if (exchange.echoTooLarge()) {
            full(ctx, exchange, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    ("echo body over " + Exchange.ECHO_LIMIT + " bytes").getBytes(UTF_8), answered);
        } else {
            full(ctx, exchange, HttpResponseStatus.OK, exchange.echoedBody(), answered);
        }
    }

    private void full(ChannelHandlerContext ctx, Exchange exchange, HttpResponseStatus status, byte[] body,
                      Promise<Void> answered) {
        boolean bodyless = status.code() == 204 || status.code() == 304;
        boolean sendBody = !bodyless && !exchange.isHead();
        FullHttpResponse response = new DefaultFullHttpResponse(exchange.version(), status,
                sendBody ? Unpooled.wrappedBuffer(body) : Unpooled.EMPTY_BUFFER);
        addHeaders(response.headers(), exchange);
        if (!bodyless) {
            // Also for HEAD: the length the GET would have had.
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        HttpUtil.setKeepAlive(response, exchange.keepAlive());
        ctx.writeAndFlush(response).addListener(written -> {
            answered.trySuccess(null);
            if (!exchange.keepAlive()) {
                ctx.close();
            }
        });
    }

    private void resetMidResponse(ChannelHandlerContext ctx, Exchange exchange, Promise<Void> answered) {
        HttpResponse head = new DefaultHttpResponse(exchange.version(), HttpResponseStatus.OK);
        addHeaders(head.headers(), exchange);
        head.headers().set(HttpHeaderNames.CONTENT_LENGTH, PROMISED_LENGTH);
        ctx.write(head);
        byte[] partial = ("partial answer from " + name).getBytes(UTF_8);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(partial))).addListener(written -> {
            reset(ctx.channel());
            answered.trySuccess(null);
        });
    }

    private void malformed(ChannelHandlerContext ctx, Promise<Void> answered) {
        // Written below the codec, which would refuse bytes that are not an HTTP message.
        ChannelHandlerContext belowCodec = ctx.pipeline().context(HttpServerCodec.class);
        belowCodec.writeAndFlush(Unpooled.wrappedBuffer(GARBAGE)).addListener(written -> {
            ctx.close();
            answered.trySuccess(null);
        });
    }

    private void addHeaders(HttpHeaders headers, Exchange exchange) {
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        headers.set("X-Backend", name);
        headers.set("X-Seen-Method", exchange.method());
        headers.set("X-Seen-Uri", exchange.uri());
        headers.set("X-Seen-Body-Length", exchange.bodyLength());
        for (Map.Entry<String, String> seen : SEEN) {
            List<String> values = exchange.headers().getAll(seen.getKey());
            if (!values.isEmpty()) {
                headers.set(seen.getValue(), String.join(", ", values));
            }
        }
    }
}
