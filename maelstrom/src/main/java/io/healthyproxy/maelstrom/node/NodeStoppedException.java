package io.healthyproxy.maelstrom.node;

/** Fails the calls still waiting when the node stops: their replies can no longer arrive. */
final class NodeStoppedException extends RuntimeException {

    NodeStoppedException() {
        super("node stopped: its input ended", null, false, false);
    }
}
