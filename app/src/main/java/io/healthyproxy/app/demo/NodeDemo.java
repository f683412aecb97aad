package io.healthyproxy.app.demo;

import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.health.HealthStatus;
import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.maelstrom.node.NodeObserver;
import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.Message;
import io.healthyproxy.maelstrom.sim.PartitionScenario;
import io.healthyproxy.maelstrom.sim.SimClient;
import io.healthyproxy.maelstrom.sim.SimCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node demo: runs {@link PartitionScenario} and prints, second by second, where n1 sent its requests,
 * how many were answered ok, and every circuit transition and network event as it happens.
 */
public final class NodeDemo {

    private static final Duration SLICE = Duration.ofMillis(100);

    private final PrintStream out;
    private final long seed;
    private final double speed;
    private final Map<String, Integer> forwardedThisSecond = new TreeMap<>();
    private int okThisSecond;
    private int answeredThisSecond;
    private int retries;
    private SimCluster cluster;

    public NodeDemo(PrintStream out, long seed, double speed) {
        this.out = out;
        this.seed = seed;
        this.speed = speed;
    }

    public void run() throws InterruptedException {
        PartitionScenario scenario = PartitionScenario.create(PartitionScenario.defaultConfig(), seed,
                id -> id.equals("n1") ? new Printer() : NodeObserver.NONE);
        cluster = scenario.cluster();
        header();
        cluster.at(PartitionScenario.CUT_AT, () -> event("network", "n3 is cut off from n1 (both directions)"));
        cluster.at(PartitionScenario.HEAL_AT, () -> event("network", "n1 and n3 can reach each other again"));
        cluster.every(Duration.ofSeconds(1), this::row);
        while (!scenario.finished()) {
            long started = System.nanoTime();
            scenario.runFor(SLICE);
            out.flush();
            if (speed > 0) {
                long due = (long) (SLICE.toNanos() / speed) - (System.nanoTime() - started);
                if (due > 0) {
                    Thread.sleep(due / 1_000_000, (int) (due % 1_000_000));
                }
            }
        }
        summary(scenario);
    }

    private void header() {
        out.println("HealthyProxy demo: a simulated 5-node cluster, in virtual time (seed " + seed
                + (speed > 0 ? ", shown at " + fmt(speed) + "x speed" : "") + ")");
        out.println("  Client c1 sends an echo to n1 every 10 ms for 60 s. n1 forwards each to a backend (n2..n5)");
        out.println("  whose circuit admits traffic, round robin, and retries once elsewhere if the backend fails.");
        out.println("  Circuits open after 5 consecutive failures, for 5 s at first, doubling while failures go on.");
        out.println("  Script: at 10 s the network cuts n3 off from n1; at 40 s it heals.");
        out.println();
        out.println("      time  forwarded by n1 in the last second     answered ok");
    }

    private void row() {
        long second = Math.round(cluster.elapsed().toNanos() / 1e9);
        if (second == 0 || (answeredThisSecond == 0 && forwardedThisSecond.isEmpty())) {
            return;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %8s  ", second + "s"));
        for (String backend : new String[] {"n2", "n3", "n4", "n5"}) {
            line.append(String.format(Locale.ROOT, "%s %3d   ", backend, forwardedThisSecond.getOrDefault(backend, 0)));
        }
        line.append(String.format(Locale.ROOT, "%4d/%-4d", okThisSecond, answeredThisSecond));
        out.println(line);
        forwardedThisSecond.clear();
        okThisSecond = 0;
        answeredThisSecond = 0;
    }

    private void event(String kind, String text) {
        String time = String.format(Locale.ROOT, "%.3fs", cluster.elapsed().toNanos() / 1e9);
        out.println(String.format(Locale.ROOT, "  %8s  %-8s %s", time, kind, text));
    }

    private void summary(PartitionScenario scenario) {
        SimClient client = scenario.client();
        long ok = client.answers().stream().filter(SimClient.Answer::ok).count();
        out.println();
        out.println("Summary");
        out.println(String.format(Locale.ROOT, "  %d requests sent, %d answered ok (%.2f%%), %d of them after a retry on another backend.",
                scenario.sent(), ok, 100.0 * ok / scenario.sent(), retries));
        out.println("  served by: " + client.servedBy());
        var n3 = cluster.node("n1").pool().find("n3").orElseThrow().breaker().snapshot();
        out.println("  n1's circuit for n3: opened " + n3.timesOpened() + " times, " + n3.trialsAdmitted()
                + " half-open trial request(s), now " + n3.state().label() + ".");
        out.println();
        out.println("Run the node yourself: bin/healthy-proxy maelstrom   (messages: docs/PROTOCOL.md)");
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Watches n1. */
    private final class Printer implements NodeObserver {
        @Override
        public void forwarded(Message request, String backend, int attempt, boolean trial) {
            forwardedThisSecond.merge(backend, 1, Integer::sum);
            if (attempt > 1) {
                retries++;
            }
            if (trial) {
                event("trial", "request " + request.body().msgId() + " goes to " + backend
                        + " as the half-open trial");
            }
        }

        @Override
        public void answered(Message request, Body answer, String backend) {
            answeredThisSecond++;
            if (!answer.type().equals("error")) {
                okThisSecond++;
            }
        }

        @Override
        public void circuitTransition(TransitionEvent e) {
            String detail = switch (e.transition()) {
                case FAILURE_THRESHOLD_REACHED -> e.consecutiveFailures() + " consecutive failures; no traffic for "
                        + HumanDuration.format(Duration.ofMillis(e.openDuration().toMillis()));
                case TRIAL_FAILED, TRIAL_TIMED_OUT -> "the trial failed; open again, now for "
                        + HumanDuration.format(Duration.ofMillis(e.openDuration().toMillis()));
                case PROBE_FAILED -> "a health check failed, so no request is risked; open again, now for "
                        + HumanDuration.format(Duration.ofMillis(e.openDuration().toMillis()));
                case OPEN_DURATION_ELAPSED -> "the next request will be the trial (unless a health check fails first)";
                case HEALTH_RECOVERED -> "it passes its health checks again; the next request will be the trial";
                case NO_OTHER_BACKEND -> "no other backend takes traffic; a request goes there as a trial";
                case TRIALS_SUCCEEDED -> "the trial succeeded; traffic flows again";
                default -> e.transition().name();
            };
            event("circuit", e.breaker() + " " + e.from().label() + " -> " + e.to().label() + ": " + detail);
        }

        @Override
        public void healthChanged(String backend, HealthStatus status) {
            event("health", backend + (status.healthy() ? " passes its health checks again"
                    : " failed " + status.consecutiveFailures() + " health checks in a row ("
                    + status.lastResult().detail() + ")"));
        }
    }
}
