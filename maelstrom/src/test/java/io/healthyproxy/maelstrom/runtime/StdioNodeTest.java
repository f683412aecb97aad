package io.healthyproxy.maelstrom.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.maelstrom.json.JsonLimits;
import io.healthyproxy.maelstrom.node.NodeConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node on real threads, fed through streams: what the process does, without the process. */
@Timeout(30)
class StdioNodeTest {

    private static final Path FIXTURES = Path.of("../../shared/fixtures");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String input) throws InterruptedException {
        return run(input.getBytes(StandardCharsets.UTF_8));
    }

    private int run(byte[] input) throws InterruptedException {
        return new StdioNode(NodeConfig.defaults(), JsonLimits.DEFAULT, false)
                .run(new ByteArrayInputStream(input), out, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theSeedFixtureProducesExactlyTheExpectedOutput() throws Exception {
        int exit = run(Files.readAllBytes(FIXTURES.resolve("seed-init.input")));

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(Files.readString(FIXTURES.resolve("seed-init.expected")));
    }

    @Test
    void theSameInitOnOneLineGivesTheSameOutput() throws Exception {
        String oneLine = Files.readString(FIXTURES.resolve("seed-init.input")).replaceAll("\\s+", "");

        run(oneLine + "\n");

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(Files.readString(FIXTURES.resolve("seed-init.expected")));
    }

    @Test
    void requestsStillWaitingAtEndOfInputAreAnsweredBeforeExit() throws Exception {
        run("""
                {"src":"c0","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1","n2"]}}
                {"src":"c1","dest":"n1","body":{"type":"echo","msg_id":2,"echo":"x"}}
                """);

        assertThat(lines()).hasSize(3);
        assertThat(lines().get(1)).contains("\"dest\":\"n2\"").contains("\"type\":\"echo\"");
        assertThat(lines().get(2)).startsWith("{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"error\",\"in_reply_to\":2,")
                .contains("\"code\":0");
    }

    @Test
    void garbageCostsOnlyItselfAndStdoutCarriesOnlyMessages() throws Exception {
        run("""
                {"src":"c0","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}}
                this is not json
                {"src":"c1","dest":"n1","body":{"type":"echo","msg_id":2,"echo":tru}}
                {"src":"c1","dest":"n1","body":{"type":"get_healthy_servers","msg_id":3}}
                """);

        assertThat(lines()).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{\"src\":\"n1\""));
        assertThat(lines().get(1)).contains("\"in_reply_to\":2").contains("\"code\":12").contains("invalid JSON");
        assertThat(lines().get(2)).contains("get_healthy_servers_ok");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("dropped malformed message");
    }

    @Test
    void aFloodOfRequestsIsAnsweredInFullWithBoundedBuffering() throws Exception {
        int requests = 3 * StdioNode.MAX_QUEUED;
        StringBuilder input = new StringBuilder(
                "{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n1\",\"node_ids\":[\"n1\"]}}\n");
        for (int i = 0; i < requests; i++) {
            input.append("{\"src\":\"n2\",\"dest\":\"n1\",\"body\":{\"type\":\"health_check\",\"msg_id\":").append(i).append("}}\n");
        }

        run(input.toString());

        assertThat(lines()).hasSize(requests + 1);
        assertThat(lines().get(requests)).contains("\"in_reply_to\":" + (requests - 1));
    }

    @Test
    void aBrokenStdoutEndsTheRunWithExitCode1() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        int exit = new StdioNode(NodeConfig.defaults(), JsonLimits.DEFAULT, false).run(
                new ByteArrayInputStream(Files.readAllBytes(FIXTURES.resolve("seed-init.input"))), broken,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isOne();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stdout failed");
    }
}
