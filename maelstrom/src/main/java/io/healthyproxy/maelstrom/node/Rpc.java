package io.healthyproxy.maelstrom.node;

import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.Message;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Requests to other nodes awaiting their replies. Each call is settled exactly once: by its reply, by its
 * timeout, by being cancelled, or by {@link #failAll} at shutdown. Confined to the node's thread.
 */
final class Rpc {

    private final Sender sender;
    private final Scheduler scheduler;
    /** Keyed by the msg_id the request was sent with. */
    private final Map<Long, Pending> pending = new HashMap<>();

    Rpc(Sender sender, Scheduler scheduler) {
        this.sender = sender;
        this.scheduler = scheduler;
    }

    /**
     * Sends {@code body} to {@code dest}. The future completes with the reply, or exceptionally with a
     * {@link TimeoutException} after {@code timeout}. Cancelling it forgets the call.
     */
    CompletableFuture<Message> call(String dest, Body body, Duration timeout) {
        CompletableFuture<Message> reply = new CompletableFuture<>();
        long id = sender.send(dest, body);
        Scheduler.Cancellable timer = scheduler.schedule(timeout, () -> {
            if (pending.remove(id) != null) {
                reply.completeExceptionally(new TimeoutException(
                        dest + " did not answer " + body.type() + " within " + HumanDuration.format(timeout)));
            }
        });
        pending.put(id, new Pending(reply, timer));
        reply.whenComplete((r, e) -> {
            if (reply.isCancelled() && pending.remove(id) != null) {
                timer.cancel();
            }
        });
        return reply;
    }

    /** Settles the call {@code reply} answers; returns false if no call is waiting for it. */
    boolean complete(Message reply) {
        Pending call = pending.remove(reply.body().inReplyTo());
        if (call == null) {
            return false;
        }
        call.timer.cancel();
        call.reply.complete(reply);
        return true;
    }

    /** Fails every waiting call with {@code cause}. */
    void failAll(Throwable cause) {
        List<Pending> calls = List.copyOf(pending.values());
        pending.clear();
        for (Pending call : calls) {
            call.timer.cancel();
            call.reply.completeExceptionally(cause);
        }
    }

    int waiting() {
        return pending.size();
    }

    private record Pending(CompletableFuture<Message> reply, Scheduler.Cancellable timer) {
    }
}
