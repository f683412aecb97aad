package io.healthyproxy.http.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Native epoll on Linux when its library loads, NIO everywhere else. One place decides. */
public final class NettyTransport {

    private static final boolean EPOLL = Epoll.isAvailable();

    /**
     * Netty's pooled allocator with its per-thread caches, unless {@code -Dio.netty.allocator.type} picks
     * another. Netty 4.2's default, the adaptive allocator, cost the proxy about 5% of its throughput on small
     * keep-alive requests in our measurements (docs/PERFORMANCE.md): every buffer here is allocated and freed
     * on one event loop, which is what the thread caches are best at.
     */
    private static final ByteBufAllocator ALLOCATOR = System.getProperty("io.netty.allocator.type") != null
            ? ByteBufAllocator.DEFAULT : PooledByteBufAllocator.DEFAULT;

    private NettyTransport() {
    }

    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    public static EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, false), io);
    }

    public static ByteBufAllocator allocator() {
        return ALLOCATOR;
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends Channel> clientChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** For DNS queries. */
    public static Class<? extends DatagramChannel> datagramChannel() {
        return EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }
}
