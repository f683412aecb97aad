package io.healthyproxy.maelstrom.sim;

import io.healthyproxy.core.time.ManualTicker;
import io.healthyproxy.core.time.VirtualTimeScheduler;
import io.healthyproxy.maelstrom.json.JsonArray;
import io.healthyproxy.maelstrom.json.JsonObject;
import io.healthyproxy.maelstrom.node.NodeConfig;
import io.healthyproxy.maelstrom.node.NodeObserver;
import io.healthyproxy.maelstrom.node.ProxyNode;
import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * N {@link ProxyNode}s on a {@link SimNetwork}, all driven by one {@link VirtualTimeScheduler}: a whole
 * cluster, its clients and its failures, deterministic for a given seed and much faster than real time.
 *
 * <pre>{@code
 * SimCluster cluster = SimCluster.start(5, NodeConfig.defaults(), 42);
 * SimClient client = cluster.client("c1", "n1");
 * cluster.every(Duration.ofMillis(10), () -> client.send("echo", JsonObject.EMPTY.with("echo", "hi")));
 * cluster.network().partition("n1", "n3");
 * cluster.run(Duration.ofSeconds(60));
 * }</pre>
 */
public final class SimCluster {

    private final VirtualTimeScheduler scheduler;
    private final SimNetwork network;
    private final SplittableRandom random;
    private final Map<String, ProxyNode> nodes = new LinkedHashMap<>();
    private final Map<String, NodeRecorder> recorders = new LinkedHashMap<>();
    private final long startedAt;

    private SimCluster(long seed) {
        this.scheduler = new VirtualTimeScheduler(new ManualTicker(0));
        this.random = new SplittableRandom(seed);
        this.network = new SimNetwork(scheduler, random.split(), Duration.ofMillis(1), Duration.ofMillis(5));
        this.startedAt = scheduler.ticker().read();
    }

    /** Starts {@code size} nodes n1…nN with {@code config}, sends each its {@code init}, and lets them settle. */
    public static SimCluster start(int size, NodeConfig config, long seed) {
        return start(size, config, seed, id -> NodeObserver.NONE);
    }

    /** Like {@link #start(int, NodeConfig, long)}, with an extra observer per node (the demo prints with it). */
    public static SimCluster start(int size, NodeConfig config, long seed, Function<String, NodeObserver> extra) {
        SimCluster cluster = new SimCluster(seed);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        for (String id : ids) {
            NodeRecorder recorder = new NodeRecorder(cluster.scheduler.ticker());
            NodeObserver observer = Observers.both(recorder, extra.apply(id));
            ProxyNode node = new ProxyNode(config, cluster.network.outboxOf(id), cluster.scheduler,
                    cluster.scheduler.ticker(), cluster.random.split(), observer);
            cluster.network.attach(id, node::onDecoded);
            cluster.nodes.put(id, node);
            cluster.recorders.put(id, recorder);
        }
        cluster.network.attach("c0", decoded -> { });
        var initOut = cluster.network.outboxOf("c0");
        long msgId = 1;
        for (String id : ids) {
            initOut.send(new Message("c0", id, Body.of("init", JsonObject.EMPTY.with("node_id", id)
                    .with("node_ids", JsonArray.ofStrings(ids))).withMsgId(msgId++)));
        }
        cluster.run(Duration.ofMillis(10));
        return cluster;
    }

    public SimClient client(String id, String target) {
        return new SimClient(id, target, network, scheduler.ticker());
    }

    /** Runs {@code action} now and then every {@code period}, until the simulation stops being run. */
    public void every(Duration period, Runnable action) {
        scheduler.schedule(0, new Runnable() {
            @Override
            public void run() {
                action.run();
                scheduler.schedule(period, this);
            }
        });
    }

    /** Runs {@code action} when the simulated clock reads {@code at} since the cluster started. */
    public void at(Duration at, Runnable action) {
        long delay = startedAt + at.toNanos() - scheduler.ticker().read();
        scheduler.schedule(Math.max(0, delay), action);
    }

    public void run(Duration duration) {
        scheduler.runFor(duration);
    }

    /** Simulated time since the cluster started. */
    public Duration elapsed() {
        return Duration.ofNanos(scheduler.ticker().read() - startedAt);
    }

    public long elapsedNanos(long tickerReading) {
        return tickerReading - startedAt;
    }

    public SimNetwork network() {
        return network;
    }

    public ProxyNode node(String id) {
        return nodes.get(id);
    }

    public NodeRecorder recorder(String id) {
        return recorders.get(id);
    }

    public VirtualTimeScheduler scheduler() {
        return scheduler;
    }
}
