package io.healthyproxy.http.internal.h2;

import io.healthyproxy.core.time.Ticker;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose client sends PING or SETTINGS frames far faster than any honest one: more than
 * {@value #MAX_PER_WINDOW} in {@value #WINDOW_SECONDS} s gets GOAWAY (ENHANCE_YOUR_CALM). Each such frame
 * costs the proxy an answer; a client that reads those answers escapes Netty's queued-frame limit and could
 * keep an event loop, and every connection on it, busy for free (CVE-2019-9512, -9515). Browsers and gRPC
 * clients send a few per minute (keep-alive pings, one SETTINGS per connection). Sits after the multiplexer,
 * which passes connection-level frames on. Confined to the connection's event loop.
 */
public final class ControlFrameGuard extends ChannelInboundHandlerAdapter {

    static final int MAX_PER_WINDOW = 200;
    static final int WINDOW_SECONDS = 10;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);

    private final Ticker ticker;
    private long windowStart;
    private int inWindow;
    private boolean closing;

    public ControlFrameGuard(Ticker ticker) {
        this.ticker = ticker;
        this.windowStart = ticker.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if ((msg instanceof Http2PingFrame ping && !ping.ack()) || msg instanceof Http2SettingsFrame) {
            long now = ticker.read();
            if (now - windowStart >= WINDOW_NANOS) {
                windowStart = now;
                inWindow = 0;
            }
            if (++inWindow > MAX_PER_WINDOW && !closing) {
                closing = true;
                DefaultHttp2GoAwayFrame goAway = new DefaultHttp2GoAwayFrame(Http2Error.ENHANCE_YOUR_CALM,
                        ByteBufUtil.writeAscii(ctx.alloc(), "too many control frames"));
                ctx.writeAndFlush(goAway).addListener(ChannelFutureListener.CLOSE);
            }
        }
        ctx.fireChannelRead(msg);
    }
}
