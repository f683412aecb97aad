package io.healthyproxy.http.ws;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real WebSocket server for tests, on Netty's own WebSocket codec (not this project's code): echoes every
 * text and binary message on {@code /ws}, answers {@code /health} with 200, and records the upgrade
 * requests it saw. {@link #kill()} drops every connection at once, as a crashed server would.
 */
public final class WebSocketEchoBackend implements AutoCloseable {

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel listener;
    private final AtomicInteger upgrades = new AtomicInteger();
    private final List<String> requestHeaders = new CopyOnWriteArrayList<>();

    private WebSocketEchoBackend(String name) throws InterruptedException {
        this.name = name;
        this.listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new PlainRequests(),
                                new WebSocketServerProtocolHandler("/ws", null, true, 16 << 20),
                                new Echo());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    public static WebSocketEchoBackend start(String name) throws InterruptedException {
        return new WebSocketEchoBackend(name);
    }

    public String address() {
        InetSocketAddress a = (InetSocketAddress) listener.localAddress();
        return "127.0.0.1:" + a.getPort();
    }

    /** Upgrades this backend accepted. */
    public int upgrades() {
        return upgrades.get();
    }

    /** The header block of every request it saw, lower-cased, one string per request. */
    public List<String> requestHeaders() {
        return requestHeaders;
    }

    /** Drops every open connection at once. */
    public void kill() {
        connections.close().awaitUninterruptibly();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        kill();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Answers what is not a WebSocket upgrade; passes the upgrades on. */
    private final class PlainRequests extends SimpleChannelInboundHandler<FullHttpRequest> {
        PlainRequests() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            StringBuilder headers = new StringBuilder();
            request.headers().forEach(h -> headers.append(h.getKey().toLowerCase()).append(": ")
                    .append(h.getValue()).append('\n'));
            requestHeaders.add(headers.toString());
            boolean upgrade = "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
            if (upgrade && request.uri().startsWith("/ws")) {
                upgrades.incrementAndGet();
                ctx.fireChannelRead(request);
                return;
            }
            request.release();
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(name, java.nio.charset.StandardCharsets.UTF_8));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response);
        }
    }

    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        Echo() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame) {
                ctx.writeAndFlush(frame);
            } else {
                frame.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close().addListener(ChannelFutureListener.CLOSE);
        }
    }
}
