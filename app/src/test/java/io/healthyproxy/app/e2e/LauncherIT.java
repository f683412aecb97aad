package io.healthyproxy.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real launcher, the real jar, a real process: the seed's sample tests and the exit on end of input. */
@Timeout(60)
class LauncherIT {

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result run(byte[] stdin, String... args) throws Exception {
        Process p = Launcher.command(args).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        }
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("process exited").isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void seedFixturePrintsExactlyTheExpectedLineAndExits() throws Exception {
        Result r = run(Launcher.fixture("seed-init.input"), "maelstrom");

        assertThat(r.stdout()).isEqualTo(new String(Launcher.fixture("seed-init.expected"), StandardCharsets.UTF_8));
        assertThat(r.exit()).isZero();
    }

    @Test
    void aCollectorNamedInTheUsersOptionsReplacesTheLaunchersOne() throws Exception {
        // The launcher picks the serial collector; the JVM refuses to start with two ("Multiple garbage collectors
        // selected"), so a user's -XX:+UseG1GC must replace it, for the node as for serve.
        ProcessBuilder node = Launcher.command("maelstrom");
        node.environment().put("HEALTHY_PROXY_OPTS", "-XX:+UseG1GC");
        Process p = node.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(Launcher.fixture("seed-init.input"));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("process exited").isTrue();

        assertThat(err).doesNotContain("Multiple garbage collectors");
        assertThat(out).isEqualTo(new String(Launcher.fixture("seed-init.expected"), StandardCharsets.UTF_8));
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void theSameInitOnOneLineGivesTheSameLine() throws Exception {
        String oneLine = new String(Launcher.fixture("seed-init.input"), StandardCharsets.UTF_8).replaceAll("\\s+", "") + "\n";

        Result r = run(oneLine.getBytes(StandardCharsets.UTF_8), "maelstrom");

        assertThat(r.stdout()).isEqualTo(new String(Launcher.fixture("seed-init.expected"), StandardCharsets.UTF_8));
    }

    @Test
    void exitsOnItsOwnOnceStdinClosesEvenWithBackendsBeingChecked() throws Exception {
        Process p = Launcher.command("maelstrom", "--health-interval", "50ms").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        OutputStream in = p.getOutputStream();
        in.write("{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n1\",\"node_ids\":[\"n1\",\"n2\"]}}\n"
                .getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertThat(out.readLine()).contains("init_ok");
        assertThat(out.readLine()).as("health checks are running").contains("\"type\":\"health_check\"");

        in.close();

        // A hang detector, not a speed test: the start-to-exit figure is measured by the benchmarks.
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exited after EOF").isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void stdoutCarriesOnlyMessagesWhateverComesIn() throws Exception {
        String input = """
                {"src":"c0","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}}
                garbage {"src":"c1","dest":"n1","body":{"type":"nope","msg_id":2}}
                {"src":"c1","dest":"n1","body":{"type":"echo","msg_id":3,
                """;

        Result r = run(input.getBytes(StandardCharsets.UTF_8), "maelstrom");

        assertThat(r.stdout().lines()).hasSize(3).allSatisfy(l -> assertThat(l).startsWith("{\"src\":\"n1\",\"dest\":\"c"));
        assertThat(r.stdout()).contains("\"code\":10").contains("incomplete JSON");
        assertThat(r.stderr()).contains("dropped malformed message");
        assertThat(r.exit()).isZero();
    }

    @Test
    void aBadFlagIsRefusedOnStderrWithExitCode2() throws Exception {
        Result r = run(new byte[0], "maelstrom", "--failure-threshold", "0");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("--failure-threshold: 0 (expected: > 0)");
    }

    @Test
    void serveRunsWithNettysPoolMakingItsChunksUnzeroedSoOnlyTouchedPagesAreResident() throws Exception {
        // The launcher's -Dio.netty.tryReflectionSetAccessible and the jar's Add-Opens of java.nio, together: with
        // either missing, Netty falls back to ByteBuffer.allocateDirect, which zeroes (and so makes resident) every
        // 4 MiB chunk, about 8 MiB of RSS (docs/PERFORMANCE.md, "Netty's chunks: resident as used").
        Result serve = run(new byte[0], "serve", "--version");
        assertThat(serve.exit()).isZero();
        assertThat(serve.stdout()).contains("buffers pooled direct, chunks unzeroed (malloc)");
        assertThat(serve.stderr()).isEmpty();

        // Without the property (only serve gets the launcher's footprint options) Netty's fallback is what runs,
        // and --version says so: the line tells the two apart rather than printing a constant.
        assertThat(run(new byte[0], "--version").stdout()).contains("chunks zeroed (ByteBuffer.allocateDirect)");
    }

    @Test
    void helpAndVersionWork() throws Exception {
        assertThat(run(new byte[0], "--version").stdout()).startsWith("healthy-proxy 0.");
        assertThat(run(new byte[0], "maelstrom", "--help").stdout()).contains("--failure-threshold");
        assertThat(run(new byte[0], "--help").stdout()).contains("maelstrom").contains("demo");
    }
}
