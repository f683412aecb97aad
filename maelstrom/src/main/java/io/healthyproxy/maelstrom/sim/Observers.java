package io.healthyproxy.maelstrom.sim;

import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.health.HealthStatus;
import io.healthyproxy.maelstrom.node.NodeObserver;
import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.Message;

/** Combining observers. */
final class Observers {

    private Observers() {
    }

    static NodeObserver both(NodeObserver a, NodeObserver b) {
        if (b == NodeObserver.NONE) {
            return a;
        }
        return new NodeObserver() {
            @Override
            public void forwarded(Message request, String backend, int attempt, boolean trial) {
                a.forwarded(request, backend, attempt, trial);
                b.forwarded(request, backend, attempt, trial);
            }

            @Override
            public void answered(Message request, Body answer, String backend) {
                a.answered(request, answer, backend);
                b.answered(request, answer, backend);
            }

            @Override
            public void circuitTransition(TransitionEvent event) {
                a.circuitTransition(event);
                b.circuitTransition(event);
            }

            @Override
            public void healthChanged(String backend, HealthStatus status) {
                a.healthChanged(backend, status);
                b.healthChanged(backend, status);
            }

            @Override
            public void diagnostic(String line) {
                a.diagnostic(line);
                b.diagnostic(line);
            }
        };
    }
}
