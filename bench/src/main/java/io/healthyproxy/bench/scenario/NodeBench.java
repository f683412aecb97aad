package io.healthyproxy.bench.scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's figures: process start to {@code init_ok} (through the launcher, as users and Maelstrom start
 * it), against a JVM hello world as the floor; and one node's message throughput, health_check round trips
 * through stdin and stdout.
 */
final class NodeBench {

    /** Start-up times in milliseconds. */
    record Startup(double medianMs, double p90Ms, int runs) {
    }

    static final String INIT = "{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n1\",\"node_ids\":[\"n1\"]}}\n";

    private NodeBench() {
    }

    /** Process start until the first line of output, {@code runs} times. */
    static Startup firstLine(List<String> command, String input, int runs) throws InterruptedException {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            try {
                Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                try (OutputStream in = p.getOutputStream()) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
                String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                ms[i] = (System.nanoTime() - start) / 1e6;
                if (line == null) {
                    throw new IllegalStateException(command + " printed nothing");
                }
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Arrays.sort(ms);
        return new Startup(ms[runs / 2], ms[Math.min(runs - 1, (int) Math.ceil(0.9 * runs) - 1)], runs);
    }

    static Startup nodeStartup(Path root, int runs) throws InterruptedException {
        return firstLine(List.of(root.resolve("bin/healthy-proxy").toString(), "maelstrom"), INIT, runs);
    }

    static Startup helloWorld(int runs) throws InterruptedException {
        String classpath = System.getProperty("java.class.path");
        return firstLine(List.of("java", "-cp", classpath, Hello.class.getName()), "", runs);
    }

    /** health_check messages answered per second by one node, {@code messages} of them sent as fast as it reads. */
    static double healthChecksPerSecond(Path root, int messages) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(root.resolve("bin/healthy-proxy").toString(), "maelstrom")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            OutputStream in = p.getOutputStream();
            in.write(INIT.getBytes(StandardCharsets.UTF_8));
            in.flush();
            out.readLine();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < messages; i++) {
                        in.write(("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"health_check\",\"msg_id\":" + i
                                + "}}\n").getBytes(StandardCharsets.UTF_8));
                    }
                    in.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long start = System.nanoTime();
            writer.start();
            for (int i = 0; i < messages; i++) {
                if (out.readLine() == null) {
                    throw new IllegalStateException("the node stopped answering after " + i + " messages");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            writer.join();
            in.close();
            p.waitFor(10, TimeUnit.SECONDS);
            return messages / seconds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
