package io.healthyproxy.maelstrom.node;

import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.health.HealthStatus;
import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.Message;

/**
 * Watches what the node decides: the runtime logs it to stderr, the simulator and the demo draw timelines
 * from it, tests assert on it. Called on the node's thread; implementations must be quick.
 */
public interface NodeObserver {

    NodeObserver NONE = new NodeObserver() {
    };

    /** A client request was forwarded to {@code backend}; {@code attempt} counts from 1. */
    default void forwarded(Message request, String backend, int attempt, boolean trial) {
    }

    /** The client was answered; {@code backend} served it, or is null when the node answered an error itself. */
    default void answered(Message request, Body answer, String backend) {
    }

    default void circuitTransition(TransitionEvent event) {
    }

    default void healthChanged(String backend, HealthStatus status) {
    }

    /** Something worth a line on stderr: a malformed message, a reply nobody waited for. */
    default void diagnostic(String line) {
    }
}
