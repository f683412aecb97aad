package io.healthyproxy.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.testkit.ControllableBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
            // Port 0: the proxy binds a port the kernel picks and says which. A port found free here and handed
            // over could be taken before the process binds it.
            Process proxy = Launcher.command("serve", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
                    "--backend", backend.address()).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(logFile).contains("listening on") && System.nanoTime() < deadline) {
                Thread.sleep(20);                               // polling for the start-up line
            }
            Matcher listening = LISTENING.matcher(Files.readString(logFile));
            assertThat(listening.find()).as("a start-up line naming the port, in %s", Files.readString(logFile)).isTrue();
            int port = Integer.parseInt(listening.group(1));
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
            assertThat(Files.readString(logFile)).contains("SIGTERM: draining").contains("stopped");
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
}
