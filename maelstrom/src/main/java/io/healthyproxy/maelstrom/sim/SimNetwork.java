package io.healthyproxy.maelstrom.sim;

import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.VirtualTimeScheduler;
import io.healthyproxy.maelstrom.json.JsonLimits;
import io.healthyproxy.maelstrom.node.Outbox;
import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.Decoded;
import io.healthyproxy.maelstrom.protocol.ErrorCode;
import io.healthyproxy.maelstrom.protocol.Frame;
import io.healthyproxy.maelstrom.protocol.Message;
import io.healthyproxy.maelstrom.protocol.MessageCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A simulated network between nodes and clients in one JVM, in virtual time: each message takes a random
 * latency within a range, and links can be cut (partitions) and nodes crashed, both healable.
 *
 * <p>Every message is encoded to its wire bytes and decoded again on delivery, exactly as through stdin and
 * stdout, so the simulation exercises the real codec. Single-threaded, like the scheduler that drives it.
 */
public final class SimNetwork {

    private final VirtualTimeScheduler scheduler;
    private final RandomGenerator random;
    private final long minLatencyNanos;
    private final long latencySpreadNanos;
    private final MessageCodec codec = new MessageCodec(JsonLimits.DEFAULT);
    private final Map<String, Consumer<Decoded>> inboxes = new HashMap<>();
    /** Cut directed links, as "from->to". */
    private final Set<String> cut = new HashSet<>();
    private final Set<String> crashed = new HashSet<>();
    /** Nodes answering every request they serve with an error (a backend in a 5xx storm). */
    private final Set<String> failing = new HashSet<>();
    private long delivered;
    private long dropped;

    public SimNetwork(VirtualTimeScheduler scheduler, RandomGenerator random, Duration minLatency, Duration maxLatency) {
        this.scheduler = scheduler;
        this.random = random;
        this.minLatencyNanos = minLatency.toNanos();
        this.latencySpreadNanos = maxLatency.toNanos() - minLatency.toNanos();
    }

    /** Connects an endpoint; messages to {@code id} are handed to {@code inbox}. */
    public void attach(String id, Consumer<Decoded> inbox) {
        inboxes.put(id, inbox);
    }

    /** The outbox through which endpoint {@code from} sends. */
    public Outbox outboxOf(String from) {
        return message -> {
            if (!message.src().equals(from)) {
                throw new IllegalStateException(from + " sent a message claiming to be from " + message.src());
            }
            byte[] wire = codec.encode(failing.contains(from) ? asError(message) : message);
            if (!deliverable(from, message.dest())) {
                dropped++;
                return;
            }
            long latency = minLatencyNanos + Jitter.upTo(latencySpreadNanos, random);
            scheduler.schedule(latency, () -> {
                Consumer<Decoded> inbox = inboxes.get(message.dest());
                // The link may have been cut, or the receiver crashed, while the message was on its way.
                if (inbox == null || !deliverable(from, message.dest())) {
                    dropped++;
                    return;
                }
                delivered++;
                inbox.accept(codec.decode(new Frame(java.util.Arrays.copyOf(wire, wire.length - 1),
                        Frame.Problem.NONE)));
            });
        };
    }

    /** Cuts both directions between {@code a} and {@code b}. */
    public void partition(String a, String b) {
        cut.add(a + "->" + b);
        cut.add(b + "->" + a);
    }

    public void heal(String a, String b) {
        cut.remove(a + "->" + b);
        cut.remove(b + "->" + a);
    }

    /** The node neither receives nor sends until {@link #restore}d; its state survives (a frozen process). */
    public void crash(String id) {
        crashed.add(id);
    }

    public void restore(String id) {
        crashed.remove(id);
    }

    /**
     * The node answers every {@code echo} and {@code relay_request} it serves with error 11 (temporarily
     * unavailable), as an HTTP backend in a 5xx storm answers 503; it still answers health checks. Until
     * {@link #answerNormally}.
     */
    public void answerErrors(String id) {
        failing.add(id);
    }

    public void answerNormally(String id) {
        failing.remove(id);
    }

    private static Message asError(Message served) {
        String type = served.body().type();
        if (!type.equals("echo_ok") && !type.equals("relay_response")) {
            return served;
        }
        Body error = Body.error(ErrorCode.TEMPORARILY_UNAVAILABLE, served.src() + " is failing")
                .inReplyTo(served.body().inReplyTo());
        return new Message(served.src(), served.dest(), served.body().msgId() == null ? error
                : error.withMsgId(served.body().msgId()));
    }

    public long delivered() {
        return delivered;
    }

    public long dropped() {
        return dropped;
    }

    private boolean deliverable(String from, String to) {
        return !crashed.contains(from) && !crashed.contains(to) && !cut.contains(from + "->" + to);
    }
}
