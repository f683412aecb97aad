package io.healthyproxy.maelstrom.sim;

import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.maelstrom.node.NodeObserver;
import io.healthyproxy.maelstrom.protocol.Message;
import java.util.ArrayList;
import java.util.List;

/** Records what one simulated node decided, with virtual timestamps, for assertions and timelines. */
public final class NodeRecorder implements NodeObserver {

    /** A client request forwarded to a backend. */
    public record Forward(long at, String backend, int attempt, boolean trial, String client, Long clientMsgId) {
    }

    private final Ticker ticker;
    private final List<Forward> forwards = new ArrayList<>();
    private final List<TransitionEvent> transitions = new ArrayList<>();
    private final List<String> diagnostics = new ArrayList<>();

    public NodeRecorder(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public void forwarded(Message request, String backend, int attempt, boolean trial) {
        forwards.add(new Forward(ticker.read(), backend, attempt, trial, request.src(), request.body().msgId()));
    }

    @Override
    public void circuitTransition(TransitionEvent event) {
        transitions.add(event);
    }

    @Override
    public void diagnostic(String line) {
        diagnostics.add(line);
    }

    public List<Forward> forwards() {
        return List.copyOf(forwards);
    }

    public List<TransitionEvent> transitions() {
        return List.copyOf(transitions);
    }

    public List<TransitionEvent> transitionsOf(String backend) {
        return transitions.stream().filter(e -> e.breaker().equals(backend)).toList();
    }

    public List<String> diagnostics() {
        return List.copyOf(diagnostics);
    }
}
