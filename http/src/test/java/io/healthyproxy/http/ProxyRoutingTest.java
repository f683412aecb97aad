package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.testkit.ReceivedRequest;
import io.healthyproxy.testkit.RawConnection;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy's ordinary work, over real sockets: routing, headers, keep-alive, bodies. */
@Timeout(60)
class ProxyRoutingTest {

    @Test
    void roundRobinSpreadsRequestsEvenlyAndRelaysEachBackendsAnswer() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(3)) {
            Map<String, Integer> servedBy = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> r = h.get("/items/" + i);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Backend")).contains(r.body());
                servedBy.merge(r.body(), 1, Integer::sum);
            }

            assertThat(servedBy).containsOnly(Map.entry("b1", 10), Map.entry("b2", 10), Map.entry("b3", 10));
        }
    }

    @Test
    void theBackendSeesForwardingHeadersAndNoHopByHopOnes() throws Exception {
        // No health checks: one could land after the request and become the backend's last request.
        try (ProxyHarness h = ProxyHarness.start(1, ProxyHarness::withoutHealthChecks); RawConnection client = h.raw()) {
            client.sendRaw("GET /orders?id=7 HTTP/1.1\r\nHost: shop.example\r\nConnection: keep-alive, X-Hop\r\n"
                    + "X-Hop: secret\r\nKeep-Alive: timeout=5\r\nX-Forwarded-For: 203.0.113.9\r\nX-Custom: kept\r\n\r\n");

            RawConnection.Response response = client.readResponse();

            assertThat(response.status()).isEqualTo(200);
            ReceivedRequest seen = h.backend(1).lastRequest().orElseThrow();
            assertThat(seen.uri()).isEqualTo("/orders?id=7");
            assertThat(seen.header("Host")).contains("shop.example");
            assertThat(seen.header("X-Forwarded-For")).contains("203.0.113.9, 127.0.0.1");
            assertThat(seen.header("X-Forwarded-Proto")).contains("http");
            assertThat(seen.header("X-Forwarded-Host")).contains("shop.example");
            assertThat(seen.header("X-Custom")).contains("kept");
            assertThat(seen.header("X-Hop")).isEmpty();
            assertThat(seen.header("Keep-Alive")).isEmpty();
            assertThat(seen.header("Connection")).isEmpty();
            assertThat(response.headers()).doesNotContainKey("keep-alive");
        }
    }

    @Test
    void aRequestIdIsMadeForTheBackendAndTheClientOrTheClientsOwnIsKeptAlongTheWay() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(1, ProxyHarness::withoutHealthChecks); RawConnection client = h.raw()) {
            RawConnection.Response made = client.sendGet("/").readResponse();
            String id = made.headers().get("x-request-id");
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(h.backend(1).lastRequest().orElseThrow().header("X-Request-Id")).contains(id);

            RawConnection.Response kept = client.sendGet("/", "X-Request-Id: trace-7").readResponse();

            assertThat(kept.headers().get("x-request-id")).isEqualTo("trace-7");
            assertThat(h.backend(1).lastRequest().orElseThrow().header("X-Request-Id")).contains("trace-7");
        }
    }

    @Test
    void aTargetAndHeaderValuesWithNonAsciiBytesReachTheBackendByteForByte() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(1, ProxyHarness::withoutHealthChecks); RawConnection client = h.raw()) {
            // "/café.txt" and "José" in UTF-8, as raw bytes: RawConnection writes one byte per char.
            client.sendRaw("GET /caf\u00c3\u00a9.txt HTTP/1.1\r\nHost: x\r\nX-Name: Jos\u00c3\u00a9\r\n\r\n");

            assertThat(client.readResponse().status()).isEqualTo(200);
            ReceivedRequest seen = h.backend(1).lastRequest().orElseThrow();
            // The backend's (Netty) decoder makes one char of each byte too: equal strings mean equal bytes.
            assertThat(seen.uri()).isEqualTo("/caf\u00c3\u00a9.txt");
            assertThat(seen.header("X-Name")).contains("Jos\u00c3\u00a9");
        }
    }

    @Test
    void connectionsAreKeptAliveOnBothSides() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2, ProxyHarness::withoutHealthChecks); RawConnection client = h.raw()) {
            for (int i = 0; i < 20; i++) {
                assertThat(client.sendGet("/").readResponse().status()).isEqualTo(200);
            }

            assertThat(h.backend(1).acceptedConnections()).isOne();
            assertThat(h.backend(2).acceptedConnections()).isOne();
            assertThat(h.backend(1).trafficRequests() + h.backend(2).trafficRequests()).isEqualTo(20);
        }
    }

    @Test
    void smallBodiesAreBufferedLargeOnesStreamedAndChunkedOnesBufferedUntilTheyOutgrowTheBuffer() throws Exception {
        // No health checks: the backend's last request must be the test's.
        try (ProxyHarness h = ProxyHarness.start(1, ProxyHarness::withoutHealthChecks)) {
            String small = "x".repeat(10_000);
            String large = "y".repeat(1_000_000);

            assertThat(h.post("/echo", small).body()).isEqualTo(small);
            assertThat(h.backend(1).lastRequest().orElseThrow().header("content-length")).contains("10000");
            assertThat(h.post("/echo", large).body()).isEqualTo(large);

            try (RawConnection client = h.raw()) {
                client.sendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
                assertThat(client.readResponse().body()).isEqualTo("hello world");
                assertThat(h.backend(1).lastRequest().orElseThrow().header("content-length"))
                        .as("a small chunked body is buffered (and so can be retried)").contains("11");

                StringBuilder chunks = new StringBuilder();
                String piece = "z".repeat(10_000);
                for (int i = 0; i < 20; i++) {                  // 200 KB: beyond the 64 KiB buffer
                    chunks.append(Integer.toHexString(piece.length())).append("\r\n").append(piece).append("\r\n");
                }
                client.sendRaw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + chunks + "0\r\n\r\n");
                assertThat(client.readResponse().body()).isEqualTo(piece.repeat(20));
                assertThat(h.backend(1).lastRequest().orElseThrow().header("transfer-encoding"))
                        .as("a chunked body that outgrew the buffer is streamed").contains("chunked");
            }
        }
    }

    @Test
    void headAnswersCarryTheHeadersButNoBody() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(1); RawConnection client = h.raw()) {
            RawConnection.Response head = client.send("HEAD", "/").readResponse(true);
            RawConnection.Response get = client.sendGet("/").readResponse();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers().get("content-length")).isEqualTo("2");
            assertThat(get.body()).isEqualTo("b1");
        }
    }

    @Test
    void http10ClientsGetAnAnswerTheyCanRead() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(1); RawConnection client = h.raw()) {
            client.sendRaw("GET / HTTP/1.0\r\n\r\n");

            RawConnection.Ending ending = client.readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 200 OK").endsWith("b1");
            assertThat(ending.received().toLowerCase()).contains("connection: close");
        }
    }

    @Test
    void theAdminApiReportsStatusMetricsAndLiveness() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2)) {
            h.get("/");
            // The first check comes at a random point of the first interval: /status shows its latency after it.
            ProxyHarness.await("b1 checked once", () -> h.core(1).health().status().lastResult() != null);

            String status = h.admin("/status");
            String metrics = h.admin("/metrics");

            assertThat(status).contains("\"name\" : \"b1\"").contains("\"state\" : \"closed\"")
                    .contains("\"consecutiveFailures\"").contains("\"timesOpened\"").contains("\"lastCheck\"")
                    .contains("\"latencyMs\"").contains("\"inFlight\"").contains("\"succeeded\"");
            assertThat(metrics).contains("healthyproxy_requests_total{code=\"200\",source=\"backend\"} 1.0")
                    .contains("healthyproxy_backend_circuit_state{backend=\"b1\",cluster=\"default\",state=\"closed\"} 1.0")
                    .contains("healthyproxy_backend_healthy{backend=\"b2\",cluster=\"default\"}")
                    .contains("healthyproxy_request_duration_seconds_bucket");
            assertThat(h.admin("/healthz")).isEqualTo("ok\n");
            assertThat(h.admin("/nothing")).startsWith("not found");
        }
    }

    @Test
    void anAdminTokenGuardsEverythingButLiveness() throws Exception {
        String token = "a-long-enough-secret-token";
        try (ProxyHarness h = ProxyHarness.start(1, b -> b.adminToken(token))) {
            var admin = java.net.URI.create("http://127.0.0.1:" + h.proxy.adminAddress().getPort());
            var anonymous = h.client.send(java.net.http.HttpRequest.newBuilder(admin.resolve("/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            var wrong = h.client.send(java.net.http.HttpRequest.newBuilder(admin.resolve("/status"))
                    .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
            var right = h.client.send(java.net.http.HttpRequest.newBuilder(admin.resolve("/metrics"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(h.admin("/healthz")).isEqualTo("ok\n");
        }
    }
}
