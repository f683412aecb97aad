package io.healthyproxy.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three real node processes, wired stdout-to-stdin by this test as Maelstrom would: requests are routed
 * between processes, and when one process dies its circuit opens and the others carry the traffic.
 */
@Timeout(90)
class ClusterOverPipesIT {

    private static final Pattern DEST = Pattern.compile("\"dest\":\"([^\"]+)\"");
    private final Map<String, Process> nodes = new LinkedHashMap<>();
    private final Map<String, OutputStream> stdins = new LinkedHashMap<>();
    private final BlockingQueue<String> toClients = new LinkedBlockingQueue<>();
    private int clientMsgId = 100;

    @AfterEach
    void stopAll() {
        nodes.values().forEach(Process::destroyForcibly);
    }

    private void start(String id) throws IOException {
        Process p = Launcher.command("maelstrom", "--health-interval", "200ms", "--health-timeout", "200ms",
                "--request-timeout", "300ms", "--failure-threshold", "2", "--open-duration", "2s")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        nodes.put(id, p);
        stdins.put(id, p.getOutputStream());
        Thread wire = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    route(line);
                }
            } catch (IOException processEnded) {
                // the node is gone; so is its output
            }
        }, "wire-" + id);
        wire.setDaemon(true);
        wire.start();
    }

    private void route(String line) {
        Matcher m = DEST.matcher(line);
        assertThat(m.find()).as("every stdout line is a message: %s", line).isTrue();
        String dest = m.group(1);
        if (dest.startsWith("c")) {
            toClients.add(line);
        } else {
            send(dest, line);
        }
    }

    private synchronized void send(String dest, String line) {
        OutputStream in = stdins.get(dest);
        if (in == null) {
            return;                                 // a dead node's messages are lost, like on a real network
        }
        try {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException dead) {
            stdins.remove(dest);
        }
    }

    private String request(String node, String type, String fields) throws InterruptedException {
        int id = clientMsgId++;
        send(node, "{\"src\":\"c1\",\"dest\":\"" + node + "\",\"body\":{\"type\":\"" + type + "\",\"msg_id\":" + id
                + fields + "}}");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String reply = toClients.poll(1, TimeUnit.SECONDS);
            if (reply != null && reply.contains("\"in_reply_to\":" + id + ",")) {
                return reply;
            }
        }
        throw new AssertionError("no reply to " + type + " " + id);
    }

    @Test
    void routesBetweenProcessesAndAroundOneThatDied() throws Exception {
        for (String id : List.of("n1", "n2", "n3")) {
            start(id);
        }
        for (String id : nodes.keySet()) {
            send(id, "{\"src\":\"c0\",\"dest\":\"" + id + "\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\""
                    + id + "\",\"node_ids\":[\"n1\",\"n2\",\"n3\"]}}");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(toClients.poll(30, TimeUnit.SECONDS)).contains("init_ok");
        }

        List<String> served = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String reply = request("n1", "echo", ",\"echo\":\"hello " + i + "\"");
            assertThat(reply).contains("\"type\":\"echo_ok\"").contains("\"echo\":\"hello " + i + "\"");
            served.add(reply.contains("\"backend\":\"n2\"") ? "n2" : "n3");
        }
        assertThat(served).contains("n2", "n3");

        nodes.get("n3").destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        for (int i = 0; i < 10; i++) {
            String reply = request("n1", "relay_request", ",\"path\":\"/after/" + i + "\"");
            assertThat(reply).contains("\"type\":\"relay_response\"").contains("\"status\":200")
                    .contains("\"backend\":\"n2\"");
        }
        assertThat(request("n1", "circuit_status", "")).contains("\"n3\":{\"state\":\"open\"");
        assertThat(request("n1", "get_healthy_servers", "")).contains("\"healthy\":[\"n2\"]");
    }
}
