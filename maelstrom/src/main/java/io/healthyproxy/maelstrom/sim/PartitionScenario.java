package io.healthyproxy.maelstrom.sim;

import io.healthyproxy.maelstrom.json.JsonObject;
import io.healthyproxy.maelstrom.node.NodeConfig;
import io.healthyproxy.maelstrom.node.NodeObserver;
import java.time.Duration;
import java.util.function.Function;

/**
 * The seed's "Route to healthy" scenario, shared by its test and by {@code healthy-proxy demo --node}:
 * {@code size} nodes, a client sending an {@code echo} to n1 every 10 ms for 60 s, n3 cut off from n1 at
 * 10 s and reconnected at 40 s.
 */
public final class PartitionScenario {

    public static final Duration LENGTH = Duration.ofSeconds(60);
    public static final Duration CUT_AT = Duration.ofSeconds(10);
    public static final Duration HEAL_AT = Duration.ofSeconds(40);
    public static final Duration SEND_EVERY = Duration.ofMillis(10);
    /** Time after the last request for the last answers to arrive. */
    public static final Duration DRAIN = Duration.ofSeconds(3);

    private final SimCluster cluster;
    private final SimClient client;
    private long sent;

    private PartitionScenario(SimCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client("c1", "n1");
    }

    /** The node's defaults with a 5 s open duration: a proxy user wants seconds, not the seed's 30. */
    public static NodeConfig defaultConfig() {
        NodeConfig defaults = NodeConfig.defaults();
        return defaults.withBreaker(defaults.breaker().toBuilder().openDuration(Duration.ofSeconds(5)).build());
    }

    /** Sets the scenario up; nothing happens until {@link #runFor} or {@link #runToEnd}. */
    public static PartitionScenario create(NodeConfig config, long seed, Function<String, NodeObserver> observers) {
        PartitionScenario scenario = new PartitionScenario(SimCluster.start(5, config, seed, observers));
        SimCluster c = scenario.cluster;
        long requests = LENGTH.toNanos() / SEND_EVERY.toNanos();
        c.every(SEND_EVERY, () -> {
            if (scenario.sent < requests) {
                scenario.client.send("echo", JsonObject.EMPTY.with("echo", "request " + scenario.sent++));
            }
        });
        c.at(CUT_AT, () -> c.network().partition("n1", "n3"));
        c.at(HEAL_AT, () -> c.network().heal("n1", "n3"));
        return scenario;
    }

    public void runFor(Duration d) {
        cluster.run(d);
    }

    public void runToEnd() {
        Duration left = LENGTH.plus(DRAIN).minus(cluster.elapsed());
        if (!left.isNegative()) {
            cluster.run(left);
        }
    }

    public boolean finished() {
        return cluster.elapsed().compareTo(LENGTH.plus(DRAIN)) >= 0;
    }

    public SimCluster cluster() {
        return cluster;
    }

    public SimClient client() {
        return client;
    }

    public long sent() {
        return sent;
    }
}
