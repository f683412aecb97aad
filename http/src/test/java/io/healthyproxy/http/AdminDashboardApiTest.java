package io.healthyproxy.http;

import static io.healthyproxy.http.JsonTree.map;
import static io.healthyproxy.http.JsonTree.maps;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.breaker.CircuitState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin API the dashboard reads, over real sockets: its JSON, its files and who may see them. */
class AdminDashboardApiTest {

    private static final String TOKEN = "a-long-enough-secret-token";

    @Test
    void statusListsEachClustersBackendsWithTotalsAndRecentLatencies() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2)) {
            for (int i = 0; i < 20; i++) {
                assertThat(h.get("/").statusCode()).isEqualTo(200);
            }
            ProxyHarness.await("every answer has reached its backend's counters",
                    () -> h.core(1).succeeded() + h.core(2).succeeded() == 20);

            Map<String, Object> status = JsonTree.object(h.admin("/status"));

            assertThat((Long) map(status.get("proxy")).get("uptimeMs")).isNotNegative();
            List<Map<String, Object>> clusters = maps(status.get("clusters"));
            assertThat(clusters).extracting(c -> c.get("name")).containsExactly("default");
            assertThat(clusters.get(0)).containsKeys("hedgeDelayMs", "retriesInFlight", "retryBudgetExhausted");
            List<Map<String, Object>> backends = maps(clusters.get(0).get("backends"));
            assertThat(backends).extracting(b -> b.get("name")).containsExactly("b1", "b2");
            assertThat(backends).extracting(b -> (Long) b.get("requestsTotal")).containsExactly(10L, 10L);
            assertThat(backends).extracting(b -> (Long) b.get("failuresTotal")).containsExactly(0L, 0L);
            assertThat(backends).allSatisfy(b -> {
                assertThat(b).containsEntry("state", "closed").containsEntry("healthy", true)
                        .containsEntry("admitting", true).doesNotContainKey("ejected");
                Map<String, Object> latency = map(b.get("latencyMs"));
                assertThat((Double) latency.get("p50")).isPositive();
                assertThat((Double) latency.get("p99")).isGreaterThanOrEqualTo((Double) latency.get("p50"));
                assertThat((Long) latency.get("samples")).isEqualTo(10L);
            });
        }
    }

    @Test
    void statusSaysWhyABackendIsOutAndWhenItIsLookedAtNext() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2)) {
            h.backend(1).crash();
            awaitWithTraffic(h, "b1's circuit is open", () -> h.circuit(1) == CircuitState.OPEN);

            Map<String, Object> b1 = maps(maps(JsonTree.object(h.admin("/status")).get("clusters")).get(0)
                    .get("backends")).get(0);

            assertThat((String) b1.get("reason")).startsWith("circuit opened ").contains(" consecutive failures: ")
                    .contains("next trial in ");
            assertThat(map(b1.get("lastTransition"))).containsEntry("name", "failure_threshold_reached")
                    .containsEntry("from", "closed").containsEntry("to", "open").containsKey("agoMs");
            assertThat(map(b1.get("failureKinds"))).isNotEmpty()
                    .allSatisfy((kind, count) -> assertThat(kind).isIn("backend_unreachable", "health_check_failed"));
            assertThat((Long) b1.get("nextTrialInMs")).isPositive();
            assertThat(b1.get("checkInFlight").equals(true) || b1.containsKey("nextCheckInMs"))
                    .as("a check is under way or the next one is due").isTrue();
        }
    }

    @Test
    void theTimelineTellsHowACircuitOpenedAndClosedAgain() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2)) {
            h.backend(1).crash();
            awaitWithTraffic(h, "b1's circuit is open", () -> h.circuit(1) == CircuitState.OPEN);
            ProxyHarness.await("b1 fails its checks", () -> !h.core(1).health().isHealthy());
            h.backend(1).restart();
            awaitWithTraffic(h, "b1's circuit is closed again", () -> h.circuit(1) == CircuitState.CLOSED);
            // The breaker's state changes before its listener records the transition: the closing may reach the
            // timeline a moment after the state is visible here.
            ProxyHarness.await("the timeline has the closing", () -> adminText(h, "/timeline").contains("trials_succeeded"));

            Map<String, Object> timeline = JsonTree.object(h.admin("/timeline"));
            List<Map<String, Object>> circuit = maps(timeline.get("events")).stream()
                    .filter(e -> e.get("backend").equals("b1") && e.get("kind").equals("circuit")).toList();

            assertThat(timeline).containsEntry("capacity", 512L).containsEntry("maxAgeMs", 900_000L);
            assertThat(circuit.get(0)).containsEntry("cluster", "default").containsEntry("from", "closed")
                    .containsEntry("to", "open").containsEntry("reason", "failure_threshold_reached")
                    .containsKeys("sequence", "atMs", "agoMs", "text", "lengthMs");
            assertThat(circuit.get(circuit.size() - 1)).containsEntry("from", "half_open").containsEntry("to", "closed")
                    .containsEntry("reason", "trials_succeeded");
            assertThat(circuit).extracting(e -> (Long) e.get("sequence")).isSorted();
            assertThat(maps(timeline.get("events"))).anySatisfy(e -> assertThat(e).containsEntry("backend", "b1")
                    .containsEntry("kind", "health").containsEntry("to", "unhealthy"));
        }
    }

    @Test
    void thePageAndItsFilesComeFromTheJarWithAPolicyThatAllowsNoInlineScript() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(1)) {
            HttpResponse<String> page = get(h, "/", null);

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p ->
                    assertThat(p).contains("script-src 'self'").contains("connect-src 'self'")
                            .contains("frame-ancestors 'none'").doesNotContain("unsafe"));
            assertThat(page.body()).contains("<script type=\"module\" src=\"/dashboard.js\"></script>");
            assertThat(get(h, "/dashboard.js", null).body()).contains("import").contains("/status").contains("/timeline");
            assertThat(get(h, "/charts.js", null).headers().firstValue("Content-Type"))
                    .hasValue("text/javascript; charset=utf-8");
            assertThat(get(h, "/dashboard.css", null).headers().firstValue("Content-Type"))
                    .hasValue("text/css; charset=utf-8");
            assertThat(get(h, "/favicon.svg", null).statusCode()).isEqualTo(200);
            assertThat(get(h, "/dashboard.jsx", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withATokenABrowserLogsInThroughAFormAndIsLetInByItsCookie() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(1, b -> b.adminToken(TOKEN))) {
            HttpResponse<String> anonymous = get(h, "/", null);
            HttpResponse<String> wrong = login(h, "token=nope");
            HttpResponse<String> right = login(h, "token=" + TOKEN);
            String cookie = right.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("<form method=\"post\" action=\"/login\">").contains("type=\"password\"");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(get(h, "/dashboard.js", null).statusCode()).isEqualTo(401);
            assertThat(get(h, "/timeline", null).statusCode()).isEqualTo(401);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("not the admin token");
            assertThat(right.statusCode()).isEqualTo(303);
            assertThat(right.headers().firstValue("Location")).hasValue("/");
            assertThat(cookie).doesNotContain(TOKEN);
            for (String path : List.of("/", "/dashboard.js", "/charts.js", "/dashboard.css", "/status", "/timeline", "/metrics")) {
                assertThat(get(h, path, cookie).statusCode()).as(path).isEqualTo(200);
            }
            assertThat(get(h, "/status", "healthyproxy_admin=" + TOKEN).statusCode()).isEqualTo(401);
            assertThat(get(h, "/healthz", null).statusCode()).isEqualTo(200);
            assertThat(get(h, "/login", null).statusCode()).isEqualTo(405);
        }
    }

    @Test
    void withoutATokenTheLoginFormJustLeadsToTheDashboard() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(1)) {
            HttpResponse<String> response = login(h, "token=anything");

            assertThat(response.statusCode()).isEqualTo(303);
            assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        }
    }

    private static HttpResponse<String> get(ProxyHarness h, String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(admin(h, path)).timeout(ProxyHarness.PATIENCE);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return h.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> login(ProxyHarness h, String form) throws IOException, InterruptedException {
        return h.client.send(HttpRequest.newBuilder(admin(h, "/login")).timeout(ProxyHarness.PATIENCE)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI admin(ProxyHarness h, String path) {
        return URI.create("http://127.0.0.1:" + h.proxy.adminAddress().getPort() + path);
    }

    /** Waits for {@code condition} while sending requests: a circuit closes only after a real request's trial. */
    static void awaitWithTraffic(ProxyHarness h, String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        ProxyHarness.await(what, () -> {
            try {
                h.get("/");
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
            return condition.getAsBoolean();
        });
    }

    private static String adminText(ProxyHarness h, String path) {
        try {
            return h.admin(path);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
