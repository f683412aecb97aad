package io.healthyproxy.maelstrom.node;

import io.healthyproxy.maelstrom.protocol.Message;

/** Where the node's outgoing messages go: stdout in production, the simulated network in tests. */
@FunctionalInterface
public interface Outbox {

    void send(Message message);
}
