package io.healthyproxy.maelstrom.node;

import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.Message;

/**
 * Stamps every message the node sends with the next {@code msg_id} (from 0, one counter for replies and
 * requests alike) and the node's own address. Confined to the node's thread.
 */
final class Sender {

    private final Outbox outbox;
    private String self;
    private long nextMsgId;

    Sender(Outbox outbox) {
        this.outbox = outbox;
    }

    void setSelf(String self) {
        this.self = self;
    }

    /** Sends {@code body} to {@code dest}; returns the msg_id it was given. */
    long send(String dest, Body body) {
        return send(self, dest, body);
    }

    /**
     * Answers {@code request}. Before {@code init} the node has no name of its own yet, so it answers as
     * whatever the request was addressed to.
     */
    void reply(Message request, Body body) {
        reply(request.src(), request.body().msgId(), self != null ? self : request.dest(), body);
    }

    void reply(String to, Long inReplyTo, String from, Body body) {
        send(from, to, body.inReplyTo(inReplyTo));
    }

    private long send(String from, String dest, Body body) {
        long id = nextMsgId++;
        outbox.send(new Message(from, dest, body.withMsgId(id)));
        return id;
    }
}
