package io.healthyproxy.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.testkit.ControllableBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code healthy-proxy serve --config FILE --watch} as a process, changed while it runs: by editing the file,
 * by SIGHUP, and by {@code POST /reload}; a broken file is refused with every problem while the running config
 * serves on.
 */
@Timeout(120)
class ReloadIT {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) .*admin on 127\\.0\\.0\\.1:(\\d+)");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String config(String... backends) {
        StringBuilder s = new StringBuilder("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nbackends:\n");
        for (String b : backends) {
            s.append("  - ").append(b).append('\n');
        }
        return s.append("healthCheck: { interval: 200ms, unhealthyInterval: 100ms, timeout: 200ms }\n").toString();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting until " + what);
            }
            Thread.sleep(20);                                   // polling a condition, not waiting for time
        }
    }

    private String body(int port) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String bodyOrNone(int port) {
        try {
            return body(port);
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void aWatchedFileASighupAndPostReloadEachApplyTheConfigAndABrokenOneIsRefused() throws Exception {
        try (ControllableBackend one = ControllableBackend.start("one");
                ControllableBackend two = ControllableBackend.start("two")) {
            Path dir = Files.createTempDirectory("reload");
            Path file = Files.writeString(dir.resolve("proxy.yaml"), config(one.address()));
            Path log = dir.resolve("proxy.log");
            Process proxy = Launcher.command("serve", "--config", file.toString(), "--watch")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await("the proxy has started", () -> read(log).contains("listening on"));
                Matcher m = LISTENING.matcher(read(log));
                assertThat(m.find()).as(read(log)).isTrue();
                int port = Integer.parseInt(m.group(1));
                int adminPort = Integer.parseInt(m.group(2));
                assertThat(body(port)).isEqualTo("one");

                Files.writeString(file, config(two.address()));           // --watch sees it
                await("the watched file is applied", () -> read(log).contains("changed: reloaded"));
                assertThat(body(port)).isEqualTo("two");

                Files.writeString(file, config(one.address()));
                new ProcessBuilder("kill", "-HUP", Long.toString(proxy.pid())).start().waitFor();
                await("SIGHUP applies it", () -> bodyOrNone(port).equals("one"));

                Files.writeString(file, "backends:\n  - localhost\nbreaker: { failureTreshold: 3 }\n");
                HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + adminPort + "/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(422);
                assertThat(refused.body()).contains("\"reloaded\" : false").contains("backends[0]")
                        .contains("failureTreshold: unknown key (did you mean failureThreshold?)");
                assertThat(body(port)).as("the running config serves on").isEqualTo("one");

                Files.writeString(file, config(one.address(), two.address()));
                HttpResponse<String> applied = client.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + adminPort + "/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(applied.statusCode()).isEqualTo(200);
                assertThat(applied.body()).contains("\"reloaded\" : true").contains("\"backendsKept\" : 1");
            } finally {
                proxy.destroy();
                proxy.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
