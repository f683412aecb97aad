package io.healthyproxy.http.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
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
import io.netty.util.internal.PlatformDependent;
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
 * <p>io_uring is not the default (docs/PERFORMANCE.md). It measured faster than epoll on the same build, and
 * it runs with Netty's multishot POLLIN polls turned off ({@link #POLL_ADD_MULTISHOT}), without which a
 * backend's reset that arrives with the last bytes it sent can go unheard. Containers often forbid io_uring
 * anyway (Docker's default seccomp profile does).
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

    /**
     * Netty's switch for multishot POLLIN polls under io_uring, which we turn off unless it is set already.
     * Netty 4.2.18 loses a reset with them: when a backend's last bytes and its RST arrive together, the
     * socket reports itself empty after the read of those bytes (the kernel's "more to read" hint counts a FIN,
     * not a reset), so Netty ends the read loop and waits for the next {@code read()} on the multishot poll,
     * which already delivered its one edge for that reset and fires no more; the one-shot POLLRDHUP poll that
     * would have forced a read completed while that read was in flight and was spent on it. The channel then
     * hears nothing until something else closes it ({@code IoUringResetTest}). A one-shot poll, armed afresh
     * for each {@code read()}, sees a socket that is already readable (reset) at once. Netty reads the
     * property once, when its {@code IoUring} class loads, so it is set here, before anything can load it,
     * whichever transport is chosen (epoll and NIO never read it).
     */
    static final String POLL_ADD_MULTISHOT = "io.netty.iouring.pollAddMultishotEnabled";

    static {
        if (System.getProperty(POLL_ADD_MULTISHOT) == null) {
            System.setProperty(POLL_ADD_MULTISHOT, "false");
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

    /**
     * How much each connection reads at a time: Netty's adaptive sizes, with the 16 reads per wake-up its
     * socket channels default to. One instance for every connection (each still gets a handle of its own),
     * where Netty makes one per channel: 32 bytes less for each of many thousands of idle connections.
     */
    private static final RecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(16);

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
                    if (k == Kind.IO_URING && IoUring.isPollAddMultishotEnabled()) {
                        LOG.warn("transport io_uring is an experiment, and with {}=true a backend's reset can go "
                                + "unheard (docs/PERFORMANCE.md)", POLL_ADD_MULTISHOT);
                    } else if (k == Kind.IO_URING) {
                        LOG.info("transport io_uring is an experiment, not the default (docs/PERFORMANCE.md); "
                                + "Netty's multishot POLLIN polls are off");
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

    /**
     * How the buffers are made, for {@code --version}: pooled or not, and whether Netty makes the pool's chunks
     * itself (malloc, so a chunk's pages become resident as buffers touch them) or through
     * {@code ByteBuffer.allocateDirect}, which zeroes each chunk and so makes all of it resident at once. The first
     * needs {@code java.nio} opened to Netty and {@code -Dio.netty.tryReflectionSetAccessible=true}; the launcher
     * and the jar's manifest see to both (bin/healthy-proxy, {@code netty_opts}).
     */
    public static String buffers() {
        String kind = ALLOCATOR instanceof PooledByteBufAllocator
                ? "pooled direct" : ALLOCATOR.getClass().getSimpleName();
        return kind + (PlatformDependent.useDirectBufferNoCleaner()
                ? ", chunks unzeroed (malloc): resident as used" : ", chunks zeroed (ByteBuffer.allocateDirect)");
    }

    /** How much a connection reads at a time: one shared instance (see {@link #READ_SIZES}). */
    public static RecvByteBufAllocator readSizes() {
        return READ_SIZES;
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
                .option(ChannelOption.RCVBUF_ALLOCATOR, READ_SIZES)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis())));
    }

    /** For DNS queries. */
    public static Class<? extends DatagramChannel> datagramChannel() {
        return KIND.datagram;
    }
}
