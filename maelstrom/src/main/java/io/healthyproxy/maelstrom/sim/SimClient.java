package io.healthyproxy.maelstrom.sim;

import io.healthyproxy.maelstrom.json.JsonObject;
import io.healthyproxy.maelstrom.node.Outbox;
import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.Decoded;
import io.healthyproxy.maelstrom.protocol.Message;
import io.healthyproxy.core.time.Ticker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Maelstrom client in the simulation: sends requests to one node and records every answer. Open-loop: it
 * sends on schedule whether or not earlier requests were answered, like real clients do.
 */
public final class SimClient {

    /** One answered request. */
    public record Answer(long sentAt, long answeredAt, Body request, Body answer) {
        public boolean ok() {
            return !answer.type().equals("error");
        }

        public String backend() {
            return answer.string("backend").orElse(null);
        }
    }

    private final String id;
    private final String target;
    private final Outbox outbox;
    private final Ticker ticker;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final List<Answer> answers = new ArrayList<>();
    private final List<Message> unsolicited = new ArrayList<>();
    private long nextMsgId = 1;

    public SimClient(String id, String target, SimNetwork network, Ticker ticker) {
        this.id = id;
        this.target = target;
        this.outbox = network.outboxOf(id);
        this.ticker = ticker;
        network.attach(id, this::receive);
    }

    public String id() {
        return id;
    }

    /** Sends a request of {@code type} with {@code fields}; returns its msg_id. */
    public long send(String type, JsonObject fields) {
        long msgId = nextMsgId++;
        Body body = Body.of(type, fields).withMsgId(msgId);
        pending.put(msgId, new Pending(ticker.read(), body));
        outbox.send(new Message(id, target, body));
        return msgId;
    }

    private void receive(Decoded decoded) {
        if (!(decoded instanceof Decoded.Valid valid)) {
            throw new IllegalStateException(id + " received a malformed message: " + decoded);
        }
        Message message = valid.message();
        Pending request = message.body().inReplyTo() == null ? null : pending.remove(message.body().inReplyTo());
        if (request == null) {
            unsolicited.add(message);
            return;
        }
        answers.add(new Answer(request.sentAt, ticker.read(), request.body, message.body()));
    }

    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** Requests sent and not (yet) answered. */
    public int unanswered() {
        return pending.size();
    }

    /** Messages that answered nothing this client asked: there should be none. */
    public List<Message> unsolicited() {
        return List.copyOf(unsolicited);
    }

    /** The latest answer to a request of {@code type}, if any. */
    public Answer lastAnswerTo(String type) {
        for (int i = answers.size() - 1; i >= 0; i--) {
            if (answers.get(i).request().type().equals(type)) {
                return answers.get(i);
            }
        }
        return null;
    }

    /** How many answers each backend served (errors under the key "error"). */
    public Map<String, Integer> servedBy() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Answer a : answers) {
            counts.merge(a.ok() ? a.backend() : "error", 1, Integer::sum);
        }
        return counts;
    }

    private record Pending(long sentAt, Body body) {
    }
}
