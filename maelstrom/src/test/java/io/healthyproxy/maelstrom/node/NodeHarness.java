package io.healthyproxy.maelstrom.node;

import io.healthyproxy.core.time.ManualTicker;
import io.healthyproxy.core.time.VirtualTimeScheduler;
import io.healthyproxy.maelstrom.json.JsonLimits;
import io.healthyproxy.maelstrom.protocol.Decoded;
import io.healthyproxy.maelstrom.protocol.Frame;
import io.healthyproxy.maelstrom.protocol.Message;
import io.healthyproxy.maelstrom.protocol.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One {@link ProxyNode} on virtual time, fed wire text and watched through the exact lines it writes. The
 * test plays every other party (clients and backend nodes) by hand.
 */
final class NodeHarness {

    final ManualTicker ticker = new ManualTicker(0);
    final VirtualTimeScheduler scheduler = new VirtualTimeScheduler(ticker);
    final MessageCodec codec = new MessageCodec(JsonLimits.DEFAULT);
    final List<String> lines = new ArrayList<>();
    final List<String> diagnostics = new ArrayList<>();
    final ProxyNode node;
    private int read;

    NodeHarness(NodeConfig config) {
        node = new ProxyNode(config, m -> lines.add(new String(codec.encode(m), StandardCharsets.UTF_8).trim()),
                scheduler, ticker, new SplittableRandom(1), new NodeObserver() {
                    @Override
                    public void diagnostic(String line) {
                        diagnostics.add(line);
                    }
                });
    }

    /** A node whose health checks are far apart, so that tests see only the traffic they cause. */
    static NodeHarness quiet() {
        NodeConfig d = NodeConfig.defaults();
        return new NodeHarness(d.withHealth(d.health().toBuilder().interval(Duration.ofHours(1)).build()));
    }

    void deliver(String json) {
        node.onDecoded(codec.decode(new Frame(json.getBytes(StandardCharsets.UTF_8), Frame.Problem.NONE)));
    }

    /** Sends the init of node {@code self} in a cluster of {@code ids}, and takes its init_ok. */
    void init(String self, String... ids) {
        deliver("{\"src\":\"c0\",\"dest\":\"" + self + "\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\""
                + self + "\",\"node_ids\":[" + String.join(",", java.util.Arrays.stream(ids).map(i -> "\"" + i + "\"").toList())
                + "]}}");
        next();
    }

    /** The next line the node wrote that the test has not looked at yet. */
    String next() {
        if (read >= lines.size()) {
            throw new AssertionError("the node wrote nothing more; all it wrote: " + lines);
        }
        return lines.get(read++);
    }

    /** Lines written and not yet looked at. */
    List<String> unread() {
        List<String> rest = List.copyOf(lines.subList(read, lines.size()));
        read = lines.size();
        return rest;
    }

    Message nextMessage() {
        String line = next();
        return ((Decoded.Valid) codec.decode(new Frame(line.getBytes(StandardCharsets.UTF_8), Frame.Problem.NONE)))
                .message();
    }

    void run(Duration d) {
        scheduler.runFor(d);
    }
}
