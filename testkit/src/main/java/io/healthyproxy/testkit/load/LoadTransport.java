package io.healthyproxy.testkit.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The load generator's event loop and channel: native epoll on Linux when its library loads, NIO elsewhere.
 * Epoll because the scenario benchmarks measure the proxies through this client, whose own cost per request
 * should stay small next to theirs. The proxy makes the same choice for itself in {@code http}; testkit keeps
 * its own, since it must not depend on {@code http} (whose tests depend on testkit).
 */
final class LoadTransport {

    private static final boolean EPOLL = Epoll.isAvailable();

    private LoadTransport() {
    }

    static EventLoopGroup newGroup(String threadName) {
        IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, false), io);
    }

    static Class<? extends SocketChannel> channel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
