package io.healthyproxy.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A TCP port on 127.0.0.1 that this process keeps until {@link #close()}, whether or not a server listens on
 * it: for a backend that crashes and restarts on the same port, or a server process that is told its port in a
 * config file before it starts.
 *
 * <p>Why: a port found free (bind, close, use the number later) or given up by a server that stopped can be
 * taken before it is bound again. An ephemeral port (32768-60999 on Linux) is taken by any outgoing connection
 * that happens to get it as its local port; any port is taken by another process's listener. A restart then
 * fails with "Address already in use", or worse, finds another server answering on its port.
 *
 * <p>How: a socket bound to the port, with {@code SO_REUSEPORT} and without {@code SO_REUSEADDR}, that never
 * listens and never connects. While it is bound:
 * <ul>
 *   <li>a server that sets {@code SO_REUSEPORT} and runs as the same user can listen on the port beside it:
 *       {@link #listen(int)} opens one such listener; NGINX does with {@code listen ... reuseport}, HAProxy does
 *       by default;
 *   <li>no other socket can bind the port: not a listener without {@code SO_REUSEPORT} (with or without
 *       {@code SO_REUSEADDR}), not a client socket, and an outgoing connection never gets it as its local port
 *       (Linux skips ports that a bound socket holds);
 *   <li>a connection to the port is refused whenever no server listens on it, as it would be after a crash.
 * </ul>
 * Where the JDK offers no {@code SO_REUSEPORT} (Windows) a reservation holds nothing: it is only a port number
 * that was free when it was made, which anything may take while no server listens on it;
 * {@link #isSupported()} says which. Thread-safe; {@link #close()} is idempotent.
 *
 * <pre>{@code
 * try (PortReservation port = PortReservation.any()) {
 *     // write port.port() into nginx.conf as "listen 127.0.0.1:<port> reuseport;", start NGINX, kill it,
 *     // start it again: the port is still there for it.
 * }
 * }</pre>
 */
public final class PortReservation implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final boolean SUPPORTED = reusePortSupported();

    /** The socket that holds the port; null where ports cannot be held (no SO_REUSEPORT). */
    private final SocketChannel hold;
    private final int port;

    private PortReservation(SocketChannel hold, int port) {
        this.hold = hold;
        this.port = port;
    }

    /** Whether a reservation really holds its port here (the JDK offers {@code SO_REUSEPORT}: Linux, macOS, BSD). */
    public static boolean isSupported() {
        return SUPPORTED;
    }

    /**
     * Reserves a port the kernel chooses, from the ephemeral range: one that no socket holds, so this never
     * collides with another test's port.
     */
    public static PortReservation any() {
        return of(0);
    }

    /**
     * Reserves {@code port} (0: {@link #any()}).
     *
     * @throws UncheckedIOException if something else holds the port
     */
    public static PortReservation of(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        SocketChannel hold = null;
        try {
            hold = SocketChannel.open();
            hold.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            if (SUPPORTED) {
                hold.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            hold.bind(new InetSocketAddress(LOOPBACK, port));
            int bound = ((InetSocketAddress) hold.getLocalAddress()).getPort();
            if (SUPPORTED) {
                return new PortReservation(hold, bound);
            }
            hold.close();                   // it would keep our own listener out too
            return new PortReservation(null, bound);
        } catch (IOException e) {
            closeQuietly(hold);
            throw new UncheckedIOException("cannot reserve " + LOOPBACK.getHostAddress() + ":" + port, e);
        }
    }

    public int port() {
        return port;
    }

    /**
     * A listening socket on the reserved port, in blocking mode, with {@code SO_REUSEPORT} (which lets it bind
     * beside the reservation) and {@code SO_REUSEADDR} (which lets it bind over the TIME_WAIT connections of
     * the listener before it).
     *
     * @throws UncheckedIOException if the port cannot be listened on (another process of this user listens on
     *                              it with {@code SO_REUSEPORT}: then it is not this reservation's to give)
     */
    public ServerSocketChannel listen(int backlog) {
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (SUPPORTED) {
                listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            listener.bind(new InetSocketAddress(LOOPBACK, port), backlog);
            return listener;
        } catch (IOException e) {
            closeQuietly(listener);
            throw new UncheckedIOException("cannot listen on " + LOOPBACK.getHostAddress() + ":" + port, e);
        }
    }

    /** Gives the port up: from now on anything may take it. */
    @Override
    public void close() {
        closeQuietly(hold);
    }

    @Override
    public String toString() {
        return "PortReservation[" + LOOPBACK.getHostAddress() + ":" + port
                + (hold == null ? ", not held]" : hold.isOpen() ? "]" : ", released]");
    }

    private static boolean reusePortSupported() {
        try (SocketChannel probe = SocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a socket that never connected cannot lose data; nothing to report.
        }
    }
}
