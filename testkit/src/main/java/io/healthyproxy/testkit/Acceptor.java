package io.healthyproxy.testkit;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * A running {@link ControllableBackend}'s listening socket: a blocking accept loop on a thread of its own, which
 * hands each connection over and accepts the next once the handover returns.
 *
 * <p>Why not Netty's {@code ServerBootstrap}: with NIO, closing a server channel that is registered with a
 * selector leaves the socket listening until that selector's next {@code select()}, and Netty's close future
 * completes before that. A crash then returned while the port still listened: a connection made right after it
 * was accepted instead of refused, and an immediate restart failed with "Address already in use" (118 of 500
 * crash-restart rounds on a 2-core machine). A blocking channel is registered nowhere: once {@link #close()}
 * returns, the port no longer listens.
 */
final class Acceptor {

    /** After an accept error other than closing (out of file descriptors), wait this long before the next try. */
    private static final Duration PAUSE_AFTER_ERROR = Duration.ofMillis(100);

    private final ServerSocketChannel listener;
    private final Thread thread;

    private Acceptor(ServerSocketChannel listener, ThreadFactory threads, Consumer<SocketChannel> handover) {
        this.listener = listener;
        this.thread = threads.newThread(() -> acceptUntilClosed(handover));
    }

    /** Starts accepting on {@code listener} (blocking mode, bound) on a thread from {@code threads}. */
    static Acceptor start(ServerSocketChannel listener, ThreadFactory threads, Consumer<SocketChannel> handover) {
        Acceptor acceptor = new Acceptor(listener, threads, handover);
        acceptor.thread.start();
        return acceptor;
    }

    /**
     * Closes the listening socket and waits for the accept thread to exit: afterwards the port refuses
     * connections (unless another socket listens on it), and every connection accepted has been handed over.
     */
    void close(Duration timeout) {
        try {
            listener.close();
        } catch (IOException ignored) {
            // The descriptor is released even when close reports an error; nothing else to do.
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptUntilClosed(Consumer<SocketChannel> handover) {
        while (listener.isOpen()) {
            SocketChannel accepted;
            try {
                accepted = listener.accept();
            } catch (ClosedChannelException closed) {           // AsynchronousCloseException included
                return;
            } catch (IOException e) {
                pause();                    // e.g. EMFILE: the connection stays queued; do not spin on it
                continue;
            }
            handover.accept(accepted);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_AFTER_ERROR.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
