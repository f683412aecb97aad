package io.healthyproxy.http.internal;

import io.healthyproxy.http.config.Http2Config;
import io.healthyproxy.http.internal.h1.DecoderLimits;
import io.healthyproxy.http.internal.h1.RequestDecoder;
import io.healthyproxy.http.internal.h1.ResponseEncoder;
import io.healthyproxy.http.internal.h2.ControlFrameGuard;
import io.healthyproxy.http.internal.h2.Http2Frontend;
import io.healthyproxy.http.internal.h2.ProtocolSwitch;
import io.healthyproxy.http.internal.tls.TlsTerminator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannelConfig;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * What a new client connection's pipeline holds, for each protocol it may speak:
 * <pre>
 *   TLS:     tls (SNI, handshake) → switch (ALPN) → HTTP/1.1 or HTTP/2, as below
 *   plain:   switch (h2c preface?) → HTTP/1.1 or HTTP/2        (no switch when h2c is off)
 *   HTTP/1.1: decoder (tells the connection of each read first) → encoder → proxy (ClientConnection)
 *   HTTP/2:   h2-flush (many streams' flushes as one) → h2 (frame codec) → h2-streams (multiplexer; per stream: codec to HTTP objects → ClientStream)
 *             → h2-guard (control-frame flood) → h2-connection (Http2ClientConnection)
 * </pre>
 * Every request, whichever protocol brought it, is an {@link Exchange} through the same request path.
 * Thread-safe: one instance serves every connection.
 */
final class ClientPipelines implements ProtocolSwitch.Protocols {

    /** At most this many flushes of an HTTP/2 connection's streams are held back to go out as one. */
    private static final int FLUSHES_PER_WRITE = 64;

    private final ProxyContext context;
    private final DecoderLimits decoding;
    private final Http2Config http2;
    private final Http2Frontend frontend;
    private final TlsTerminator tls;

    /** @param tls the listener's TLS, or null for plain HTTP */
    ClientPipelines(ProxyContext context, TlsTerminator tls) {
        this.context = context;
        this.tls = tls;
        this.http2 = context.config.http2();
        this.decoding = DecoderLimits.forClients(context.limits);
        // HTTP/2 counts 32 bytes per header field on top of its name and value (RFC 9113 §6.5.2).
        long headerList = context.limits.maxHeaderBytes() + 32L * context.limits.maxHeaders();
        this.frontend = new Http2Frontend(http2, headerList, context.config.timeouts().shutdownGrace());
    }

    /** Sets up a newly accepted connection. */
    void initialize(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (tls != null) {
            pipeline.addLast("tls", tls.newHandler());
            pipeline.addLast("switch", new ProtocolSwitch(true, false, this,
                    context.clock.scheduler(channel.eventLoop()), context.requestHeaderNanos));
        } else if (http2.acceptsCleartext()) {
            pipeline.addLast("switch", new ProtocolSwitch(false, true, this,
                    context.clock.scheduler(channel.eventLoop()), context.clientIdleNanos));
        } else {
            http1(pipeline);
        }
    }

    @Override
    public void http1(ChannelPipeline pipeline) {
        ClientConnection connection = new ClientConnection(context);
        pipeline.addLast("decoder", new RequestDecoder(decoding, connection))
                .addLast("encoder", new ResponseEncoder())
                .addLast("proxy", connection);
    }

    /**
     * The connection reads as frames come (every stream's body waits in its own window, which the proxy
     * hands back only as the backend takes it), and a client's FIN ends it: HTTP/2 has no half-closed
     * connection, only half-closed streams.
     */
    @Override
    public void http2(ChannelPipeline pipeline) {
        Channel channel = pipeline.channel();
        channel.config().setAutoRead(true);
        if (channel.config() instanceof DuplexChannelConfig duplex) {
            duplex.setAllowHalfClosure(false);
        }
        Http2ClientConnection connection = new Http2ClientConnection(context);
        // Many streams' answers are written in one turn of the event loop (each from its own backend's read):
        // flushed together, they leave in one TLS record and one write instead of one per stream.
        pipeline.addLast("h2-flush", new FlushConsolidationHandler(FLUSHES_PER_WRITE, true))
                .addLast("h2", frontend.newCodec())
                .addLast("h2-streams", frontend.newMultiplexer(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel stream) {
                        stream.config().setAutoRead(false);
                        connection.streamOpened();
                        stream.closeFuture().addListener(closed -> connection.streamClosed());
                        stream.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(true, true))
                                .addLast("stream", new ClientStream(context));
                    }
                }))
                .addLast("h2-guard", new ControlFrameGuard(context.ticker))
                .addLast("h2-connection", connection);
    }
}
