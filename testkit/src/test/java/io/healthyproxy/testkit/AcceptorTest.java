package io.healthyproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An {@link Acceptor} hands connections over, and has stopped listening when {@code close()} returns. */
class AcceptorTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final BlockingQueue<SocketChannel> handedOver = new LinkedBlockingQueue<>();

    @Test
    void handsEachConnectionOver() throws Exception {
        try (PortReservation port = PortReservation.any()) {
            Acceptor acceptor = Acceptor.start(port.listen(50), Thread::new, handedOver::add);
            try (Socket client = new Socket(LOOPBACK, port.port())) {
                SocketChannel accepted = handedOver.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

                assertThat(accepted).isNotNull();
                assertThat(((InetSocketAddress) accepted.getRemoteAddress()).getPort()).isEqualTo(client.getLocalPort());
                accepted.close();
            } finally {
                acceptor.close(PATIENCE);
            }
        }
    }

    @Test
    void refusesConnectionsOnceCloseReturns() throws Exception {
        try (PortReservation port = PortReservation.any()) {
            for (int round = 0; round < 50; round++) {
                Acceptor.start(port.listen(50), Thread::new, handedOver::add).close(PATIENCE);

                assertThatThrownBy(() -> new Socket(LOOPBACK, port.port()).close(),
                        "connecting right after close number %d", round + 1).isInstanceOf(ConnectException.class);
            }
        }
    }

    /**
     * Why the acceptor blocks on a thread of its own instead of using a selector, as Netty's NIO server channel does:
     * the JDK closes a server channel registered with a selector only at that selector's next select, so after
     * {@code close()} has returned the port still listens and connections are still accepted into its backlog.
     */
    @Test
    void aClosedServerChannelRegisteredWithASelectorListensUntilTheSelectorSelects() throws Exception {
        try (PortReservation port = PortReservation.any(); Selector selector = Selector.open()) {
            ServerSocketChannel registered = port.listen(50);
            registered.configureBlocking(false);
            registered.register(selector, SelectionKey.OP_ACCEPT);

            registered.close();

            assertThatCode(() -> new Socket(LOOPBACK, port.port()).close())
                    .as("connecting to a channel that says it is closed").doesNotThrowAnyException();
            selector.selectNow();
            assertThatThrownBy(() -> new Socket(LOOPBACK, port.port()).close()).isInstanceOf(ConnectException.class);
        }
    }
}
