package io.healthyproxy.http.h2;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain HTTP/2 server for tests, in the style of Netty's HTTP/2 examples: h2c with prior knowledge, or h2
 * over TLS (ALPN {@code h2} only); or, for TLS tests of HTTP/1.1 clusters, the same answers over HTTP/1.1 and TLS. It answers each request with its name as the body and what it saw in
 * {@code x-seen-*} headers, plus a trailer; a test can make it answer with a large body written only as fast
 * as flow control lets it (it counts what went out), or refuse the next stream with a GOAWAY below it. It
 * keeps every request head it received.
 */
public final class Http2Backend implements AutoCloseable {

    /** What the backend does with the next requests. */
    public enum Mode {
        /** Its name, the {@code x-seen-*} headers and a {@code x-trailer: done} trailer. */
        ECHO,
        /** {@link #setBigBody} bytes, in 16 KiB pieces, each written once the stream may take it. */
        BIG,
        /** A GOAWAY whose last stream id is below the new stream's: it was never processed. */
        GOAWAY,
        /** {@link #GOAWAY} for the next stream, then {@link #ECHO}: a server closing a connection after so many requests. */
        GOAWAY_ONCE
    }

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final List<FullHttpRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Channel> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final AtomicLong bodyBytesSent = new AtomicLong();
    private volatile Mode mode = Mode.ECHO;
    /** A big body's stream could take no more (its flow-control window was used up) and is waiting. */
    private volatile boolean stalled;
    private volatile long bigBody;

    private Http2Backend(String name, SslContext tls, boolean http1) throws InterruptedException {
        this(name, tls, http1, null);
    }

    private Http2Backend(String name, SslContext tls, boolean http1, Long maxStreams) throws InterruptedException {
        this.name = name;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        open.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        if (http1) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Answer());
                            return;
                        }
                        Http2Settings settings = Http2Settings.defaultSettings();
                        if (maxStreams != null) {
                            settings.maxConcurrentStreams(maxStreams);
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel stream) {
                                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                        new HttpObjectAggregator(1 << 20), new Answer());
                            }
                        }));
                        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof Http2PingFrame ping && !ping.ack()) {
                                    pings.incrementAndGet();        // the codec has answered it already
                                }
                                io.netty.util.ReferenceCountUtil.release(msg);
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** An h2c backend. */
    public static Http2Backend cleartext(String name) throws InterruptedException {
        return new Http2Backend(name, null, false);
    }

    /** An h2c backend that allows {@code maxStreams} concurrent streams per connection. */
    public static Http2Backend cleartext(String name, long maxStreams) throws InterruptedException {
        return new Http2Backend(name, null, false, maxStreams);
    }

    /** An h2 backend presenting {@code certificate} (PEM) and {@code key}. */
    public static Http2Backend tls(String name, Path certificate, Path key) throws Exception {
        return new Http2Backend(name, serverContext(certificate, key, ApplicationProtocolNames.HTTP_2), false);
    }

    /** An HTTP/1.1 backend over TLS, presenting {@code certificate} (PEM) and {@code key}. */
    public static Http2Backend http1OverTls(String name, Path certificate, Path key) throws Exception {
        return new Http2Backend(name, serverContext(certificate, key, ApplicationProtocolNames.HTTP_1_1), true);
    }

    private static SslContext serverContext(Path certificate, Path key, String alpn) throws Exception {
        return SslContextBuilder.forServer(certificate.toFile(), key.toFile()).sslProvider(SslProvider.JDK)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn))
                .build();
    }

    public String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public void setBigBody(long bytes) {
        this.bigBody = bytes;
        this.mode = Mode.BIG;
    }

    /** Stops reading every connection, as a backend that hangs without closing: no more ACKs, no answers. */
    public void freeze() {
        open.forEach(c -> c.config().setAutoRead(false));
    }

    /** The request heads (and bodies) received, in order. */
    public List<FullHttpRequest> requests() {
        return requests;
    }

    /** PINGs received (and answered). */
    public int pings() {
        return pings.get();
    }

    public int connections() {
        return connections.get();
    }

    /** Whether a big body is waiting for the proxy to open its stream's window. */
    public boolean stalled() {
        return stalled;
    }

    /** Bytes of {@link Mode#BIG} bodies the stream has taken so far (written to the connection). */
    public long bodyBytesSent() {
        return bodyBytesSent.get();
    }

    /** Stops the server and drops its connections, as a backend that is gone; a second close does nothing. */
    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        server.close().syncUninterruptibly();
        // Each connection closed here, not left to the loop's shutdown: a socket that outlives it is a backend
        // that went silent, not one that is gone.
        open.forEach(c -> c.close().syncUninterruptibly());
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private long left;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.add(request.retainedDuplicate());
            switch (mode) {
                case ECHO -> echo(ctx, request);
                case BIG -> {
                    left = bigBody;
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, (int) left);
                    ctx.write(head);
                    writeWhileWritable(ctx);
                }
                case GOAWAY, GOAWAY_ONCE -> {
                    if (mode == Mode.GOAWAY_ONCE) {
                        mode = Mode.ECHO;
                    }
                    Channel connection = ctx.channel().parent();
                    Http2FrameCodec codec = connection.pipeline().get(Http2FrameCodec.class);
                    ChannelHandlerContext codecCtx = connection.pipeline().context(codec);
                    int id = ((Http2StreamChannel) ctx.channel()).stream().id();
                    codec.goAway(codecCtx, id - 2, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER,
                            codecCtx.newPromise());
                    codecCtx.flush();
                }
            }
        }

        private void echo(ChannelHandlerContext ctx, FullHttpRequest request) {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked")        // HTTP/1.1's way to trailers
                    .set("x-seen-path", request.uri())
                    .set("x-seen-method", request.method().name())
                    .set("x-seen-te", String.valueOf(request.headers().get(HttpHeaderNames.TE)))
                    .set("x-seen-host", String.valueOf(request.headers().get(HttpHeaderNames.HOST)))
                    .set("x-seen-scheme", String.valueOf(request.headers().get(
                            HttpConversionUtil.ExtensionHeaderNames.SCHEME.text())))
                    .set("x-seen-body", request.content().toString(StandardCharsets.UTF_8));
            ctx.write(head);
            LastHttpContent last = new DefaultLastHttpContent(Unpooled.wrappedBuffer(body));
            last.trailingHeaders().set("x-trailer", "done");
            ctx.writeAndFlush(last);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (left > 0 && ctx.channel().isWritable()) {
                writeWhileWritable(ctx);
            }
        }

        private void writeWhileWritable(ChannelHandlerContext ctx) {
            while (left > 0 && ctx.channel().isWritable()) {
                int n = (int) Math.min(16 * 1024, left);
                left -= n;
                ByteBuf piece = ctx.alloc().buffer(n).writeZero(n);
                Object message = left == 0 ? new DefaultLastHttpContent(piece) : new DefaultHttpContent(piece);
                ctx.write(message).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        bodyBytesSent.addAndGet(n);
                    }
                });
            }
            ctx.flush();
            stalled = left > 0 && !ctx.channel().isWritable();
        }
    }
}
