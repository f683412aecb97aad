package io.healthyproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** What a {@link PortReservation} lets onto its port, and what it keeps off. */
class PortReservationTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void refusesConnectionsWhileNothingListens() throws Exception {
        try (PortReservation port = PortReservation.any()) {
            assertThatThrownBy(() -> new Socket(LOOPBACK, port.port()).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void itsOwnListenerListensBesideItAgainAndAgain() throws Exception {
        try (PortReservation port = PortReservation.any()) {
            for (int round = 0; round < 3; round++) {
                try (ServerSocketChannel listener = port.listen(50); Socket client = new Socket(LOOPBACK, port.port());
                     SocketChannel accepted = listener.accept()) {
                    assertThat(((InetSocketAddress) accepted.getRemoteAddress()).getPort())
                            .isEqualTo(client.getLocalPort());
                }
            }
        }
    }

    @Test
    void keepsOtherListenersAndClientSocketsOff() {
        assumeThat(PortReservation.isSupported()).as("the platform has SO_REUSEPORT").isTrue();
        try (PortReservation port = PortReservation.any()) {
            assertThatThrownBy(() -> new ServerSocket(port.port(), 50, LOOPBACK).close(), "a listener with SO_REUSEADDR")
                    .isInstanceOf(BindException.class);
            assertThatThrownBy(() -> {
                try (ServerSocketChannel wildcard = ServerSocketChannel.open()) {
                    wildcard.bind(new InetSocketAddress(port.port()));
                }
            }, "a listener on every address").isInstanceOf(BindException.class);
            assertThatThrownBy(() -> {
                try (Socket client = new Socket()) {
                    client.setReuseAddress(true);
                    client.bind(new InetSocketAddress(LOOPBACK, port.port()));
                }
            }, "a client socket").isInstanceOf(BindException.class);
        }
    }

    @Test
    void givesThePortUpOnClose() throws Exception {
        PortReservation port = PortReservation.any();
        port.close();

        try (ServerSocket next = new ServerSocket(port.port(), 50, LOOPBACK)) {
            assertThat(next.getLocalPort()).isEqualTo(port.port());
        }
        assertThat(port).hasToString("PortReservation[127.0.0.1:" + port.port()
                + (PortReservation.isSupported() ? ", released]" : ", not held]"));
    }

    @Test
    void aPortAnotherServerListensOnCannotBeReserved() throws Exception {
        assumeThat(PortReservation.isSupported()).as("the platform has SO_REUSEPORT").isTrue();
        try (ServerSocket other = new ServerSocket(0, 50, LOOPBACK)) {
            assertThatThrownBy(() -> PortReservation.of(other.getLocalPort()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("cannot reserve 127.0.0.1:" + other.getLocalPort())
                    .hasCauseInstanceOf(BindException.class);
        }
    }

    @Test
    void refusesPortsOutOfRange() {
        assertThatThrownBy(() -> PortReservation.of(65536)).hasMessage("port: 65536 (expected: 0..65535)");
    }
}
