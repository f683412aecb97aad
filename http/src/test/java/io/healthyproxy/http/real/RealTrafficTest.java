package io.healthyproxy.http.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.Backend;
import io.healthyproxy.http.HttpProxy;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.ProxyConfig;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A normal day of traffic, with the proxy's DEFAULT settings, in front of ordinary web applications (the JDK's
 * HTTP server) and with an ordinary client (the JDK's HTTP client): slow endpoints, server-sent events,
 * chunked streams with pauses, and load that slows every backend. Each of these failed with the first
 * version's defaults (a 1 s per-try timeout that also covered held and relayed responses, and timeouts and lost
 * hedges counted as failures).
 */
@Timeout(90)
class RealTrafficTest {

    private final List<JdkBackend> backends = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpProxy proxy;

    /** The proxy with every default but its ports. */
    private HttpProxy start(int count) throws InterruptedException {
        ProxyConfig.Builder config = ProxyConfig.builder().listen(new Endpoint("127.0.0.1", 0))
                .admin(new Endpoint("127.0.0.1", 0));
        for (int i = 1; i <= count; i++) {
            JdkBackend b = JdkBackend.start("b" + i);
            backends.add(b);
            config.backend(new BackendConfig("b" + i, Endpoint.parse(b.address())));
        }
        proxy = HttpProxy.start(config.build());
        return proxy;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.stop(Duration.ZERO);
        }
        backends.forEach(JdkBackend::close);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + proxy.address().getPort() + path);
    }

    private Backend core(int number) {
        return proxy.backends().find("b" + number).orElseThrow();
    }

    @Test
    void aTwoSecondEndpointIsAnswered() throws Exception {
        start(2);
        for (JdkBackend b : backends) {
            b.route("/slow", exchange -> {
                JdkBackend.sleep(2000);
                JdkBackend.answer(exchange, 200, "worth the wait");
            });
        }

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/slow")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("worth the wait");
        assertThat(core(1).failed() + core(2).failed()).isZero();
    }

    /**
     * The backend sends each event only once the client has read the previous one: a proxy that held the
     * stream back would never let the second one be sent.
     */
    @Test
    void serverSentEventsReachTheClientOneByOneAsTheyAreSent() throws Exception {
        start(1);
        int events = 5;
        List<CountDownLatch> seen = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            seen.add(new CountDownLatch(1));
        }
        AtomicReference<String> problem = new AtomicReference<>();
        backends.get(0).route("/events", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);                   // no length: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < events; i++) {
                    out.write(("data: event " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (!await(seen.get(i))) {
                        problem.set("event " + i + " did not reach the client");
                        return;
                    }
                    JdkBackend.sleep(500);
                }
            }
        });

        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri("/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<String> received = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("data: ")) {
                    received.add(line);
                    seen.get(received.size() - 1).countDown();
                }
            }
        }

        assertThat(problem.get()).isNull();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(received).hasSize(events).first().isEqualTo("data: event 0");
    }

    @Test
    void aChunkedStreamOfTenPiecesAFifthOfASecondApartArrivesPieceByPiece() throws Exception {
        start(1);
        List<CountDownLatch> seen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seen.add(new CountDownLatch(1));
        }
        AtomicReference<String> problem = new AtomicReference<>();
        backends.get(0).route("/stream", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 10; i++) {
                    out.write(("piece " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (!await(seen.get(i))) {
                        problem.set("piece " + i + " did not reach the client");
                        return;
                    }
                    JdkBackend.sleep(200);
                }
            }
        });

        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri("/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        int pieces = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                assertThat(line).isEqualTo("piece " + pieces);
                seen.get(pieces++).countDown();
            }
        }

        assertThat(problem.get()).isNull();
        assertThat(pieces).isEqualTo(10);
    }

    @Test
    void aStreamOverSixtyFourKibibytesWithPausesArrivesWhole() throws Exception {
        start(1);
        int piece = 40 * 1024;
        backends.get(0).route("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            writePiecesWithPauses(exchange.getResponseBody(), piece);
        });
        backends.get(0).route("/sized", exchange -> {
            exchange.sendResponseHeaders(200, 3L * piece);
            writePiecesWithPauses(exchange.getResponseBody(), piece);
        });

        for (String path : List.of("/chunked", "/sized")) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri(path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path + ": all of it, and a proper end").hasSize(3 * piece);
        }
    }

    private static void writePiecesWithPauses(OutputStream body, int size) throws java.io.IOException {
        try (OutputStream out = body) {
            for (int i = 0; i < 3; i++) {
                out.write(new byte[size]);
                out.flush();
                if (i < 2) {
                    JdkBackend.sleep(1500);
                }
            }
        }
    }

    /** Busy is not broken: load that slows every backend alike opens no circuit and moves no traffic. */
    @Test
    void loadThatSlowsEveryBackendAlikeEjectsNoneAndMovesNoTraffic() throws Exception {
        start(3);
        backends.forEach(b -> b.delay(40));

        int ok = load(600, 24);

        assertThat(ok).isEqualTo(600);
        for (int i = 1; i <= 3; i++) {
            assertThat(core(i).breaker().snapshot().timesOpened()).as("b" + i + " opened").isZero();
            assertThat(core(i).failed()).as("b" + i + " failures").isZero();
            assertThat(core(i).isEjected()).as("b" + i + " ejected").isFalse();
            assertThat(backends.get(i - 1).served()).as("b" + i + "'s share").isBetween(150, 260);
        }
    }

    @Test
    void aBackendTenTimesSlowerThanTheOthersLosesMostOfItsTraffic() throws Exception {
        start(3);
        backends.get(0).delay(60);
        backends.get(1).delay(6);
        backends.get(2).delay(6);

        int ok = load(1200, 16);

        assertThat(ok).isEqualTo(1200);
        int slow = backends.get(0).served();
        int total = backends.stream().mapToInt(JdkBackend::served).sum();
        assertThat(slow).as("requests the slow backend got, of " + total).isLessThan(total / 6);
        assertThat(core(1).failed()).as("slow is not failed").isZero();
    }

    /** Sends {@code count} GETs, {@code concurrency} at a time; returns how many got a 200. */
    private int load(int count, int concurrency) throws Exception {
        Semaphore slots = new Semaphore(concurrency);
        AtomicInteger ok = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            slots.acquire();
            all.add(client.sendAsync(HttpRequest.newBuilder(uri("/")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                        if (e == null && r.statusCode() == 200) {
                            ok.incrementAndGet();
                        }
                        slots.release();
                    }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        return ok.get();
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
