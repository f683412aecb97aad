package io.healthyproxy.maelstrom.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.maelstrom.json.JsonLimits;
import io.healthyproxy.maelstrom.node.NodeConfig;
import io.healthyproxy.maelstrom.protocol.Decoded;
import io.healthyproxy.maelstrom.protocol.Frame;
import io.healthyproxy.maelstrom.protocol.Message;
import io.healthyproxy.maelstrom.protocol.MessageCodec;
import io.healthyproxy.maelstrom.runtime.StdioNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One whole run of the node as the process runs it (framer, codec, node thread, stdout writer) over an input
 * held in memory, and what came out. {@link #around} wraps the input under test between an {@code init} and
 * a probe request, so that a test sees whether the node was initialised, what it answered to the input, and
 * whether it still serves a normal request afterwards.
 */
final class NodeRun {

    static final long PROBE_ID = 999_999;
    static final MessageCodec CODEC = new MessageCodec(JsonLimits.DEFAULT);

    /** Health checks an hour apart: the only lines on stdout are answers to the input. */
    private static final NodeConfig QUIET = quiet();

    final int exit;
    final String stdout;
    final String stderr;
    final List<Message> messages;

    private NodeRun(int exit, String stdout, String stderr) {
        this.exit = exit;
        this.stdout = stdout;
        this.stderr = stderr;
        this.messages = parse(stdout);
    }

    static String init(String... nodeIds) {
        return "{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n1\","
                + "\"node_ids\":[" + String.join(",", java.util.Arrays.stream(nodeIds).map(id -> "\"" + id + "\"")
                .toList()) + "]}}\n";
    }

    static String probe() {
        return "{\"src\":\"c9\",\"dest\":\"n1\",\"body\":{\"type\":\"get_healthy_servers\",\"msg_id\":" + PROBE_ID + "}}\n";
    }

    /** The node alone in its cluster (no backends): init, then {@code input}, then the probe. */
    static NodeRun around(byte[] input) {
        return around(input, "n1");
    }

    /** Init as node n1 of {@code nodeIds}, then {@code input}, a newline, then the probe. */
    static NodeRun around(byte[] input, String... nodeIds) {
        ByteArrayOutputStream all = new ByteArrayOutputStream(input.length + 256);
        all.writeBytes(init(nodeIds).getBytes(StandardCharsets.UTF_8));
        all.writeBytes(input);
        all.write('\n');
        all.writeBytes(probe().getBytes(StandardCharsets.UTF_8));
        return of(all.toByteArray());
    }

    static NodeRun around(String input, String... nodeIds) {
        return around(input.getBytes(StandardCharsets.UTF_8), nodeIds.length == 0 ? new String[] {"n1"} : nodeIds);
    }

    static NodeRun of(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            exit = new StdioNode(QUIET, JsonLimits.DEFAULT, false).run(new ByteArrayInputStream(input), out,
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return new NodeRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * What {@link #around} got in answer to the input under test: everything after {@code init_ok} and before
     * the probe's answer, without the node's own health checks.
     */
    List<Message> answers() {
        assertInitialisedAndStillServing();
        return messages.subList(1, messages.size() - 1).stream()
                .filter(m -> !m.body().type().equals("health_check"))
                .toList();
    }

    /** The run ended normally, the node took its init, and it answered the probe after the input. */
    void assertInitialisedAndStillServing() {
        assertThat(exit).as("exit code; stderr: %s", stderr).isZero();
        assertThat(messages).as("stdout: %s", stdout).hasSizeGreaterThanOrEqualTo(2);
        Message first = messages.get(0);
        assertThat(first.body().type()).as("first line: %s", stdout).isEqualTo("init_ok");
        Message last = messages.get(messages.size() - 1);
        assertThat(last.dest()).as("last line: %s", stdout).isEqualTo("c9");
        assertThat(last.body().type()).isEqualTo("get_healthy_servers_ok");
        assertThat(last.body().inReplyTo()).isEqualTo(PROBE_ID);
    }

    /**
     * Checks that stdout holds nothing but messages: each line one compact JSON object that parses strictly
     * and has every field a message needs. Run on every output, so every test checks it.
     */
    private static List<Message> parse(String stdout) {
        List<Message> messages = new ArrayList<>();
        if (stdout.isEmpty()) {
            return messages;
        }
        assertThat(stdout).as("stdout ends each message with a newline").endsWith("\n");
        for (String line : stdout.substring(0, stdout.length() - 1).split("\n", -1)) {
            assertThat(line).as("a line of stdout").startsWith("{\"src\":").endsWith("}");
            Decoded decoded = CODEC.decode(new Frame(line.getBytes(StandardCharsets.UTF_8), Frame.Problem.NONE));
            assertThat(decoded).as("stdout line %s", line).isInstanceOf(Decoded.Valid.class);
            messages.add(((Decoded.Valid) decoded).message());
        }
        return messages;
    }

    private static NodeConfig quiet() {
        NodeConfig d = NodeConfig.defaults();
        return d.withHealth(d.health().toBuilder().interval(Duration.ofHours(1)).unhealthyInterval(Duration.ofHours(1))
                .build());
    }
}
