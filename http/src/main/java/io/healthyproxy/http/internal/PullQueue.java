package io.healthyproxy.http.internal;

import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Hands a connection's decoded messages to its handler one at a time, when the handler asks: the decoder may
 * produce several messages from one socket read (a request head and its body, or pipelined requests), but
 * the proxy deals with one piece at a time and reads the socket only when it wants more. That is what
 * bounds buffering per connection to one socket read, and what keeps a pipelined request waiting until the
 * previous response is done.
 *
 * <p>Why not Netty's FlowControlHandler: its 4.2 version lost a {@code read()} issued from inside a
 * completion listener that ran within its own delivery, which stalled streamed uploads. This class does
 * one thing, re-entrantly: a {@link #pull()} made while a message is being delivered is served by the
 * delivering loop, or by a socket read if nothing is queued. Confined to the connection's event loop.
 *
 * <p>The next message waits in a field of its own, and only a second one (pipelined requests, or a head and
 * its body from one read) makes a deque: an idle connection, of which a proxy may hold many thousands, then
 * holds no deque and no array.
 */
final class PullQueue {

    /** The next message, or null when none is queued (and then {@link #later} is empty too). */
    private Object next;
    /** The messages after {@link #next}, in order; made when a second message is queued. */
    private ArrayDeque<Object> later;
    private final Consumer<Object> consumer;
    private final Runnable readSocket;
    private boolean wanted;
    private boolean delivering;

    /**
     * @param consumer   receives each message (and owns it)
     * @param readSocket asks the channel for one more read
     */
    PullQueue(Consumer<Object> consumer, Runnable readSocket) {
        this.consumer = consumer;
        this.readSocket = readSocket;
    }

    /** A message from the decoder: delivered now if one was asked for, else kept until it is. */
    void offer(Object message) {
        if (next == null) {
            next = message;
        } else {
            later().addLast(message);
        }
        deliver();
    }

    /** Puts a message back at the head of the queue: it is the next one delivered, when asked for. */
    void pushFront(Object message) {
        if (next != null) {
            later().addFirst(next);
        }
        next = message;
    }

    /** Asks for the next message. */
    void pull() {
        wanted = true;
        if (next == null) {
            readSocket.run();
        } else {
            deliver();
        }
    }

    int queued() {
        return next == null ? 0 : 1 + (later == null ? 0 : later.size());
    }

    /** Releases whatever is still queued (the connection is gone). */
    void clear() {
        for (Object message; (message = poll()) != null; ) {
            ReferenceCountUtil.release(message);
        }
        wanted = false;
    }

    private void deliver() {
        if (delivering) {
            return;                     // the loop below is already running further up the stack
        }
        delivering = true;
        try {
            while (wanted && next != null) {
                wanted = false;
                consumer.accept(poll());
            }
        } finally {
            delivering = false;
        }
    }

    private Object poll() {
        Object message = next;
        next = later == null ? null : later.pollFirst();
        return message;
    }

    private ArrayDeque<Object> later() {
        if (later == null) {
            later = new ArrayDeque<>(4);
        }
        return later;
    }
}
