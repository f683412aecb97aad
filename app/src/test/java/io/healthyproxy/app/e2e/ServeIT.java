package io.healthyproxy.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.app.log.FlatJson;
import io.healthyproxy.http.tls.TestCertificates;
import io.healthyproxy.http.tls.TestCertificates.Pair;
import io.healthyproxy.testkit.ControllableBackend;
import io.netty.channel.uring.IoUring;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code healthy-proxy serve} as a process: proxying, then SIGTERM with a request in flight. */
@Timeout(90)
class ServeIT {

    /** The port a proxy says it listens on, in its start-up line. */
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) ");

    @Test
    void proxiesThenDrainsOnSigtermAndExitsZero() throws Exception {
        try (ControllableBackend backend = ControllableBackend.start("web-1")) {
            // The log goes to a file: destroy() closes the process's pipes, and the drain is logged after it.
            Path logFile = Files.createTempFile("serve", ".log");
            Process proxy = serve(logFile, "--backend", backend.address());
            int port = port(logFile);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI root = URI.create("http://127.0.0.1:" + port + "/");

            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(root).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("web-1");

            backend.traffic().slow(Duration.ofMillis(500));
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(root).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(backend.awaitRequests(2, Duration.ofSeconds(10))).isTrue();
            proxy.destroy();                                    // SIGTERM

            assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).as("the request under way finished").isEqualTo(200);
            assertThat(proxy.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(proxy.exitValue()).isZero();
            String log = Files.readString(logFile);
            assertThat(log).contains("SIGTERM: draining").contains("stopped");
            // The warm-up ran first, through a proxy of its own that said nothing.
            assertThat(log).containsSubsequence("warmed up in", "listening on");
            assertThat(log.split("listening on", -1)).hasSize(2);
            assertThat(log.split("stopped", -1)).hasSize(2);
        }
    }

    /** A SIGTERM while the warm-up runs cuts it short, and the proxy never listens: the process exits 0 at once. */
    @Test
    void aSigtermDuringTheWarmUpEndsItAndTheProcessExitsWithoutListening() throws Exception {
        try (ControllableBackend backend = ControllableBackend.start("web-1")) {
            Path logFile = Files.createTempFile("serve", ".log");
            Process proxy = serve(logFile, "--backend", backend.address(), "--warm-up", "50s");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(logFile).contains("warming up for 50s") && System.nanoTime() < deadline) {
                Thread.sleep(20);                           // polling for the warm-up's first line
            }
            proxy.destroy();                                // SIGTERM

            // Far sooner than the 50 s it was asked to warm up for.
            assertThat(proxy.waitFor(15, TimeUnit.SECONDS)).as("exited after the signal").isTrue();
            assertThat(proxy.exitValue()).isZero();
            assertThat(Files.readString(logFile)).contains("SIGTERM during the warm-up: not starting")
                    .doesNotContain("listening on");
        }
    }

    /**
     * Over TLS the warm-up terminates TLS too, with the listener's certificate, and speaks h2 on half its
     * connections (the listener offers it); then the real listener serves clients of both protocols.
     */
    @Test
    void overTlsTheWarmUpShakesHandsAndSpeaksH2BeforeListeningThenServesBothProtocols(@TempDir Path dir)
            throws Exception {
        try (ControllableBackend backend = ControllableBackend.start("web-1")) {
            Pair pair = TestCertificates.generate(dir, "site", "localhost");
            Path logFile = Files.createTempFile("serve-tls", ".log");
            Process proxy = serve(logFile, "--backend", backend.address(), "--tls-cert", pair.certificate().toString(),
                    "--tls-key", pair.key().toString());
            try {
                int port = port(logFile);

                assertThat(Files.readString(logFile)).containsSubsequence(
                        "warming up for 1s before listening (--warm-up), its second half over TLS as the listener "
                                + "will be",
                        " over h2), ", " TLS handshakes", "listening on");
                for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
                    HttpClient client = HttpClient.newBuilder().sslContext(pair.trustingContext()).version(version)
                            .build();
                    HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/")).build();
                    HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.body()).isEqualTo("web-1");
                    assertThat(answer.version()).isEqualTo(version);
                }
            } finally {
                proxy.destroy();
                assertThat(proxy.waitFor(15, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    /**
     * The transport asked for with {@code -Dhealthyproxy.transport}: io_uring where the kernel allows it (the
     * start-up line names it), else the default, with the reason logged; either way the proxy proxies.
     */
    @Test
    void io_uringAskedForIsUsedWhereItRunsAndOtherwiseTheFallbackSaysWhy() throws Exception {
        try (ControllableBackend backend = ControllableBackend.start("web-1")) {
            Path logFile = Files.createTempFile("serve", ".log");
            ProcessBuilder builder = serveCommand(logFile, "--backend", backend.address());
            builder.environment().put("HEALTHY_PROXY_OPTS", "-Dhealthyproxy.transport=io_uring");
            Process proxy = builder.start();
            try {
                int port = port(logFile);
                HttpResponse<String> ok = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(ok.statusCode()).isEqualTo(200);
                String log = Files.readString(logFile);
                if (IoUring.isAvailable()) {            // this kernel allows it (the CI machine does)
                    assertThat(log).contains("(io_uring;").contains("transport io_uring is an experiment");
                } else {
                    assertThat(log).contains("transport io_uring cannot run here").contains("(epoll;");
                }
            } finally {
                proxy.destroy();
                assertThat(proxy.waitFor(15, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void withJsonLogsEveryLineIsOneObjectAndTheAccessLogHasItsFields() throws Exception {
        try (ControllableBackend backend = ControllableBackend.start("web-1")) {
            Path logFile = Files.createTempFile("serve-json", ".log");
            Process proxy = serve(logFile, "--backend", backend.address(), "--log-format", "json", "--access-log");
            int port = port(logFile);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/a?b=1"))
                    .header("X-Request-Id", "it-1").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            proxy.destroy();
            assertThat(proxy.waitFor(15, TimeUnit.SECONDS)).isTrue();

            List<Map<String, Object>> lines = new ArrayList<>();
            for (String line : Files.readAllLines(logFile)) {
                lines.add(FlatJson.parse(line));
            }
            assertThat(lines).isNotEmpty().allSatisfy(l -> {
                assertThat(l).containsKeys("time", "level", "logger", "message");
                assertThat((String) l.get("time")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            });
            Map<String, Object> access = lines.stream().filter(l -> "healthyproxy.access".equals(l.get("logger")))
                    .findFirst().orElseThrow();
            assertThat(access).containsEntry("method", "GET").containsEntry("path", "/a?b=1")
                    .containsEntry("protocol", "HTTP/1.1").containsEntry("status", 200L)
                    .containsEntry("cluster", "default").containsEntry("route", "routes[0]")
                    .containsEntry("backend", backend.address()).containsEntry("attempts", 1L).containsEntry("bytes", 5L)
                    .containsEntry("client", "127.0.0.1").containsEntry("requestId", "it-1")
                    .containsKey("durationMs");
        }
    }

    @Test
    void aBadConfigFileIsRefusedWithEveryProblemAndExitCode1() throws Exception {
        java.nio.file.Path config = java.nio.file.Files.createTempFile("proxy", ".yaml");
        java.nio.file.Files.writeString(config, "backends:\n  - localhost\nbreaker:\n  failureTreshold: 3\n");

        Process p = Launcher.command("serve", "--config", config.toString()).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isOne();
        assertThat(err).contains(":2: backends[0]").contains(":4: breaker.failureTreshold: unknown key (did you mean failureThreshold?)");
    }
    /**
     * Starts {@code serve} on port 0 (the proxy binds a port the kernel picks and says which: a port found free
     * here and handed over could be taken before the process binds it), its stdout and stderr to {@code logFile}.
     */
    private static Process serve(Path logFile, String... args) throws Exception {
        return serveCommand(logFile, args).start();
    }

    private static ProcessBuilder serveCommand(Path logFile, String... args) {
        List<String> command = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"));
        command.addAll(List.of(args));
        return Launcher.command(command.toArray(String[]::new)).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
    }

    /** The port the proxy logging to {@code logFile} says it listens on, once it has said so. */
    private static int port(Path logFile) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(logFile).contains("listening on") && System.nanoTime() < deadline) {
            Thread.sleep(20);                               // polling for the start-up line
        }
        Matcher listening = LISTENING.matcher(Files.readString(logFile));
        assertThat(listening.find()).as("a start-up line naming the port, in %s", Files.readString(logFile)).isTrue();
        return Integer.parseInt(listening.group(1));
    }
}
