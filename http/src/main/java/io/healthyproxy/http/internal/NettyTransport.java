package io.healthyproxy.http.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides which of Netty's transports every channel uses (listeners, backend connections,
 * health checks, DNS): native epoll on Linux when its library loads, else NIO. The system property
 * {@code healthyproxy.transport} ({@code auto}, {@code epoll}, {@code io_uring}, {@code nio}) overrides; a
 * transport asked for that cannot run here falls back to the default, saying why.
 *
 * <p>io_uring is an experiment, not the default. It measured faster than epoll on the same build (bench/ab,
 * alternating rounds: 1.10x the requests per second, 0.87x the CPU per request), but under it a backend's reset
 * that arrives while the proxy holds a small response goes unnoticed in two runs of three
 * ({@code ProxyFailureTest.aBackendResettingMidwayThroughAHeldResponseCostsTheClientOnlyARetry}: the proxy
 * waits out the hold and relays a cut answer), so it is not safe yet (docs/PERFORMANCE.md). Containers often
 * forbid io_uring anyway (Docker's default seccomp profile does).
 */
public final class NettyTransport {

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

    /** A transport: its event loops and its three kinds of channel. */
    private enum Kind {
        EPOLL("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class, EpollSocketChannel.class,
                EpollDatagramChannel.class),
        IO_URING("io_uring", IoUringIoHandler::newFactory, IoUringServerSocketChannel.class,
                IoUringSocketChannel.class, IoUringDatagramChannel.class),
        NIO("nio", NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class,
                NioDatagramChannel.class);

        final String label;
        final Supplier<IoHandlerFactory> io;
        final Class<? extends ServerChannel> server;
        final Class<? extends Channel> client;
        final Class<? extends DatagramChannel> datagram;

        Kind(String label, Supplier<IoHandlerFactory> io, Class<? extends ServerChannel> server,
                Class<? extends Channel> client, Class<? extends DatagramChannel> datagram) {
            this.label = label;
            this.io = io;
            this.server = server;
            this.client = client;
            this.datagram = datagram;
        }

        /** Null when it can run here, else why not. */
        Throwable unavailability() {
            return switch (this) {
                case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
                case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
                case NIO -> null;
            };
        }
    }

    private static final Kind KIND = choose(System.getProperty("healthyproxy.transport", "auto"));

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

    /** Epoll where it loads, else NIO; or the transport {@code asked} names if it can run here. */
    private static Kind choose(String asked) {
        Kind fallback = Kind.EPOLL.unavailability() == null ? Kind.EPOLL : Kind.NIO;
        if (asked.equalsIgnoreCase("auto")) {
            return fallback;
        }
        for (Kind k : Kind.values()) {
            if (k.label.equalsIgnoreCase(asked)) {
                Throwable why = k.unavailability();
                if (why == null) {
                    if (k == Kind.IO_URING) {
                        LOG.warn("transport io_uring is an experiment: a backend's reset can go unnoticed while a "
                                + "response is held (docs/PERFORMANCE.md)");
                    }
                    return k;
                }
                LOG.warn("transport {} cannot run here ({}); using {}", k.label, why.toString(), fallback.label);
                return fallback;
            }
        }
        LOG.warn("healthyproxy.transport={}: unknown (expected: auto, epoll, io_uring or nio); using {}", asked,
                fallback.label);
        return fallback;
    }

    /** The transport in use: {@code epoll}, {@code io_uring} or {@code nio}. */
    public static String name() {
        return KIND.label;
    }

    public static EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, false), KIND.io.get());
    }

    public static ByteBufAllocator allocator() {
        return ALLOCATOR;
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return KIND.server;
    }

    public static Class<? extends Channel> clientChannel() {
        return KIND.client;
    }

    /**
     * How every connection to a backend starts, pooled or a health check's: this transport's channel, the
     * proxy's allocator, no Nagle delay, and a connect timeout (at least 1 ms).
     */
    static Bootstrap backendBootstrap(EventLoopGroup group, Duration connectTimeout) {
        return new Bootstrap()
                .group(group)
                .channel(clientChannel())
                .option(ChannelOption.ALLOCATOR, ALLOCATOR)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis())));
    }

    /** For DNS queries. */
    public static Class<? extends DatagramChannel> datagramChannel() {
        return KIND.datagram;
    }
}
