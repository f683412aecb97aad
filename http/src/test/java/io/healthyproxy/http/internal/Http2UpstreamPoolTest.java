package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.Backend;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.h2.Http2Backend;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 pool against a real HTTP/2 server: streams share a connection up to the server's
 * MAX_CONCURRENT_STREAMS, then another is opened; a closed stream makes room; a connection whose backend stops
 * answering PINGs is closed, and its streams with it.
 */
class Http2UpstreamPoolTest {

    private final EventLoopGroup group = NettyTransport.newGroup(1, "pool-test");
    private final EventLoop loop = group.next();
    private Http2Backend server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Http2UpstreamPool pool(Duration pingAfter, Duration pingTimeout) {
        return new Http2UpstreamPool(Backend.builder("b1").build(), Endpoint.parse(server.address()).toSocketAddress(),
                loop, ProxyClock.system(), Duration.ofSeconds(2), Duration.ofSeconds(30), null, pingAfter, pingTimeout);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static UpstreamConnection stream(Future<UpstreamConnection> acquired) throws Exception {
        return acquired.get(5, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting until " + what);
            }
            Thread.sleep(5);                    // polling a condition, not waiting for time to pass
        }
    }

    @Test
    void streamsShareAConnectionUpToTheServersLimitThenAnotherOpens() throws Exception {
        server = Http2Backend.cleartext("b1", 2);
        Http2UpstreamPool pool = pool(Http2UpstreamPool.PING_AFTER, Http2UpstreamPool.PING_TIMEOUT);

        UpstreamConnection first = stream(onLoop(pool::acquire));
        UpstreamConnection second = stream(onLoop(pool::acquire));
        assertThat(onLoop(pool::openConnections)).isOne();
        assertThat(first.channel().parent()).isSameAs(second.channel().parent());

        UpstreamConnection third = stream(onLoop(pool::acquire));
        assertThat(onLoop(pool::openConnections)).as("the first is full: 2 streams").isEqualTo(2);
        assertThat(third.channel().parent()).isNotSameAs(first.channel().parent());

        onLoop(() -> {
            pool.release(first);
            return null;
        });
        await("the stream's close made room", () -> !first.channel().isOpen());
        UpstreamConnection fourth = stream(onLoop(pool::acquire));
        assertThat(fourth.channel().parent()).isSameAs(second.channel().parent());
        assertThat(onLoop(pool::openConnections)).isEqualTo(2);
    }

    @Test
    void aConnectionWhoseBackendStopsAnsweringPingsIsClosedWithItsStreams() throws Exception {
        server = Http2Backend.cleartext("b1");
        Http2UpstreamPool pool = pool(Duration.ofMillis(100), Duration.ofMillis(200));
        UpstreamConnection stream = stream(onLoop(pool::acquire));

        server.freeze();
        // A request goes out, as an attempt's would, and no answer can come.
        stream.channel().writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
                Unpooled.EMPTY_BUFFER));

        await("the silent connection is closed", () -> !stream.channel().parent().isOpen());
        await("its stream is closed with it", () -> !stream.channel().isOpen());
        assertThat(onLoop(pool::openConnections)).isZero();
        UpstreamConnection next = stream(onLoop(pool::acquire));
        assertThat(next.channel().parent()).as("a new connection replaces it").isNotSameAs(stream.channel().parent());
    }

    @Test
    void aConnectionThatAnswersPingsStaysOpen() throws Exception {
        server = Http2Backend.cleartext("b1");
        Http2UpstreamPool pool = pool(Duration.ofMillis(50), Duration.ofMillis(100));
        UpstreamConnection stream = stream(onLoop(pool::acquire));
        io.netty.channel.Channel connection = stream.channel().parent();

        // Several PING rounds, each past the timeout of the one before: each answered, so nothing is closed.
        await("three pings were answered", () -> server.pings() >= 3 || !connection.isOpen());
        assertThat(connection.isOpen()).isTrue();
        assertThat(stream.channel().isOpen()).isTrue();
    }
}
