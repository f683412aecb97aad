package io.healthyproxy.maelstrom.runtime;

import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.health.HealthStatus;
import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.maelstrom.node.NodeObserver;
import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.Message;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The node's log on stderr (stdout carries only messages): every circuit transition and health flip, every
 * diagnostic, and with {@code --verbose} every routing decision. Each line starts with the seconds since
 * start.
 */
final class StderrLog implements NodeObserver {

    private final PrintStream err;
    private final Ticker ticker;
    private final long start;
    private final boolean verbose;

    StderrLog(PrintStream err, Ticker ticker, boolean verbose) {
        this.err = err;
        this.ticker = ticker;
        this.start = ticker.read();
        this.verbose = verbose;
    }

    @Override
    public void forwarded(Message request, String backend, int attempt, boolean trial) {
        if (verbose) {
            line(request.body().type() + " " + request.body().msgId() + " from " + request.src() + " -> " + backend
                    + (attempt > 1 ? " (retry)" : "") + (trial ? " (half-open trial)" : ""));
        }
    }

    @Override
    public void answered(Message request, Body answer, String backend) {
        if (verbose) {
            line("answered " + request.src() + " " + request.body().msgId() + " with " + answer.type()
                    + (backend != null ? " from " + backend : ""));
        }
    }

    @Override
    public void circuitTransition(TransitionEvent e) {
        line("circuit " + e.breaker() + ": " + e.transition().describe()
                + (e.consecutiveFailures() > 0 ? ", " + e.consecutiveFailures() + " consecutive failures" : "")
                + (e.openDuration().isZero() ? "" : ", open for " + HumanDuration.format(e.openDuration())));
    }

    @Override
    public void healthChanged(String backend, HealthStatus status) {
        line("health " + backend + ": " + (status.healthy() ? "healthy" : "unhealthy") + " (last check: "
                + (status.lastResult() == null ? "none" : status.lastResult().detail()) + ")");
    }

    @Override
    public void diagnostic(String text) {
        line(text);
    }

    private void line(String text) {
        err.println(String.format(Locale.ROOT, "[%9.3fs] %s", (ticker.read() - start) / 1e9, text));
    }
}
