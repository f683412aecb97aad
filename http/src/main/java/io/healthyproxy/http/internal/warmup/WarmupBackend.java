package io.healthyproxy.http.internal.warmup;

import io.healthyproxy.http.internal.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The warm-up's backend, in this process on 127.0.0.1: answers every request with a small 200 framed by
 * Content-Length, or chunked when the path ends in {@value #CHUNKED_PATH}, or a 404 for {@value #MISSING_PATH},
 * with the fields a web server sends (Server, Date, caching validators, now and then a cookie; which of them
 * varies, since the compiled code is shaped by the inputs it has seen), and closes a connection after its
 * {@value #ANSWERS_PER_CONNECTION}th answer (so the proxy's reconnecting is warmed up too). Its answers are
 * bytes made once; it reads requests with {@link Received}, outside the proxy's codec.
 */
final class WarmupBackend {

    static final String CHUNKED_PATH = "/chunked";
    static final String MISSING_PATH = "/warm-up/missing";

    private static final byte[] CHUNKED_MARK = (CHUNKED_PATH + " ").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MISSING_MARK = (MISSING_PATH + " ").getBytes(StandardCharsets.US_ASCII);
    private static final String BODY = "{\"warm\":true,\"note\":\"the proxy's warm-up; nobody sees this\"}\n";
    private static final String[] FIELDS = {
        "Connection: keep-alive\r\nETag: \"6567a1b2-3d\"\r\nLast-Modified: Tue, 01 Dec 2026 00:00:00 GMT\r\n"
                + "Accept-Ranges: bytes\r\n",
        "Cache-Control: no-store\r\nX-Request-Id: 0d9e6c1a-warm-up\r\n",
        "Set-Cookie: session=warm-up; Path=/; HttpOnly\r\nVary: Accept-Encoding\r\n",
        "",
    };
    /** Every this many answers on a connection, the backend closes it after the answer, as web servers do. */
    static final int ANSWERS_PER_CONNECTION = 100;

    /** The answers, by kind (OK, NOT_FOUND, CHUNKED) and then by the fields they carry; the last, Connection: close. */
    private static final byte[][][] ANSWERS = new byte[3][FIELDS.length + 1][];
    private static final int OK = 0;
    private static final int NOT_FOUND = 1;
    private static final int CHUNKED = 2;

    static {
        for (int f = 0; f <= FIELDS.length; f++) {
            String common = "Server: nginx/1.22.1\r\nDate: Wed, 02 Dec 2026 00:00:00 GMT\r\n"
                    + "Content-Type: application/json\r\n" + (f < FIELDS.length ? FIELDS[f] : "Connection: close\r\n");
            String sized = "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;
            ANSWERS[OK][f] = bytes("HTTP/1.1 200 OK\r\n" + common + sized);
            ANSWERS[NOT_FOUND][f] = bytes("HTTP/1.1 404 Not Found\r\n" + common + sized);
            ANSWERS[CHUNKED][f] = bytes("HTTP/1.1 200 OK\r\n" + common + "Transfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n");
        }
    }

    private WarmupBackend() {
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Listens on a free loopback port of {@code group}; closing the returned channel stops listening. */
    static Channel bind(EventLoopGroup group) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(NettyTransport.serverChannel())
                .childOption(ChannelOption.ALLOCATOR, NettyTransport.allocator())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Answers());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** Answers each request once it has been received to its end; requests on a connection in order. */
    private static final class Answers extends ChannelInboundHandlerAdapter {

        private final Received received = new Received();
        private int answered;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add((ByteBuf) msg);
            boolean wrote = false;
            for (int length; (length = received.firstMessageLength()) >= 0; wrote = true) {
                int kind = received.startLineContains(CHUNKED_MARK) ? CHUNKED
                        : received.startLineContains(MISSING_MARK) ? NOT_FOUND : OK;
                boolean last = ++answered % ANSWERS_PER_CONNECTION == 0;
                byte[] answer = ANSWERS[kind][last ? FIELDS.length : answered % FIELDS.length];
                received.consume(length);
                if (last) {
                    ctx.writeAndFlush(ctx.alloc().directBuffer(answer.length).writeBytes(answer))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ctx.write(ctx.alloc().directBuffer(answer.length).writeBytes(answer));
            }
            if (wrote) {
                ctx.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
