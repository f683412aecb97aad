package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RouteConfig;
import io.healthyproxy.http.config.RouteMatch;
import io.healthyproxy.testkit.ControllableBackend;
import io.healthyproxy.testkit.load.LoadResult;
import io.healthyproxy.testkit.load.OpenLoopLoad;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A running proxy given new configs (what SIGHUP, {@code POST /reload} and {@code serve --watch} do): backends and
 * routes change by difference, unchanged backends keep what the proxy knows of them, requests under way finish,
 * and under load nothing fails.
 */
@Timeout(90)
class ReloadTest {

    private final Map<String, ControllableBackend> backends = new LinkedHashMap<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpProxy proxy;

    @BeforeEach
    void backends() throws InterruptedException {
        for (String name : List.of("b1", "b2", "b3", "b4")) {
            backends.put(name, ControllableBackend.start(name));
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.stop(Duration.ZERO);
        }
        backends.values().forEach(ControllableBackend::close);
    }

    /** The flat form with {@code names}, each of the given weight (1 if absent). */
    private ProxyConfig flat(Map<String, Integer> names) {
        ProxyConfig.Builder b = ProxyHarness.fast();
        names.forEach((name, weight) -> b.backend(new BackendConfig(name,
                Endpoint.parse(backends.get(name).address()), weight)));
        return b.build();
    }

    private ProxyConfig flat(String... names) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String n : names) {
            weights.put(n, 1);
        }
        return flat(weights);
    }

    private Backend core(String name) {
        return proxy.backends().find(name).orElseThrow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.address().getPort() + path))
                .timeout(ProxyHarness.PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnchangedBackendKeepsItsCircuitAndANewOneStartsAfresh() throws Exception {
        proxy = HttpProxy.start(flat("b1", "b2"));
        backends.get("b2").crash();
        ProxyHarness.await("b2's circuit is open", () -> core("b2").breaker().state() == CircuitState.OPEN);
        Backend b2 = core("b2");
        long opened = b2.breaker().snapshot().timesOpened();

        ReloadSummary summary = proxy.reload(flat("b1", "b2", "b3"));

        assertThat(core("b2")).as("the same backend, breaker and all").isSameAs(b2);
        assertThat(core("b2").breaker().snapshot().timesOpened()).isGreaterThanOrEqualTo(opened);
        assertThat(core("b2").admitsTraffic()).isFalse();
        assertThat(core("b3").breaker().state()).isEqualTo(CircuitState.CLOSED);
        assertThat(summary.backendsKept()).isEqualTo(2);
        assertThat(summary.backendsAdded()).containsExactly("default/b3");
        for (int i = 0; i < 6; i++) {
            assertThat(get("/").statusCode()).isEqualTo(200);
        }
        assertThat(backends.get("b3").trafficRequests()).as("the new backend takes traffic").isPositive();
    }

    @Test
    void aBackendWhoseAddressChangesStartsAfresh() throws Exception {
        proxy = HttpProxy.start(flat("b1", "b2"));
        Backend b2 = core("b2");
        ProxyConfig moved = ProxyHarness.fast()
                .backend(new BackendConfig("b1", Endpoint.parse(backends.get("b1").address())))
                .backend(new BackendConfig("b2", Endpoint.parse(backends.get("b3").address()))).build();

        ReloadSummary summary = proxy.reload(moved);

        assertThat(core("b2")).isNotSameAs(b2);
        assertThat(summary.backendsRemoved()).containsExactly("default/b2");
        assertThat(summary.backendsAdded()).containsExactly("default/b2");
    }

    @Test
    void aRemovedBackendFinishesWhatItHasAndTakesNothingNew() throws Exception {
        // No hedge: the slow request must be on one backend only, to know which one it is on.
        proxy = HttpProxy.start(flat("b1", "b2").toBuilder().retries(new io.healthyproxy.http.config.RetryPolicy(3,
                io.healthyproxy.http.config.StatusCodes.GATEWAY_ERRORS, 0.2, 10,
                io.healthyproxy.http.config.Hedging.OFF)).build());
        backends.get("b1").traffic().slow(Duration.ofMillis(300));     // well under the harness's 2 s per try
        backends.get("b2").traffic().slow(Duration.ofMillis(300));
        CompletableFuture<HttpResponse<String>> underWay = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.address().getPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        // trafficRequests: health checks reach both backends all the time; only the proxied request tells which.
        ProxyHarness.await("the request reached a backend",
                () -> backends.get("b1").trafficRequests() + backends.get("b2").trafficRequests() > 0);
        String busy = backends.get("b1").trafficRequests() > 0 ? "b1" : "b2";
        String other = busy.equals("b1") ? "b2" : "b1";

        proxy.reload(flat(other).toBuilder().retries(proxy.config().retries()).build());

        assertThat(underWay.get().statusCode()).as("the request under way finishes").isEqualTo(200);
        assertThat(underWay.get().body()).isEqualTo(busy);
        long before = backends.get(busy).trafficRequests();
        backends.get(other).traffic().ok();
        for (int i = 0; i < 5; i++) {
            assertThat(get("/").body()).isEqualTo(other);
        }
        assertThat(backends.get(busy).trafficRequests()).as("nothing new for the removed backend").isEqualTo(before);
        ProxyHarness.await("its connections close once done", () -> backends.get(busy).openConnections() == 0);
    }

    @Test
    void newWeightsAndANewRouteTakeEffectForTheNextRequest() throws Exception {
        proxy = HttpProxy.start(flat("b1", "b2"));
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("b1", 1);
        weights.put("b2", 3);
        proxy.reload(flat(weights));
        int b2 = 0;
        for (int i = 0; i < 40; i++) {
            if (get("/").body().equals("b2")) {
                b2++;
            }
        }
        assertThat(b2).as("b2 weighs 3 of 4 now").isEqualTo(30);

        ProxyConfig.Builder routed = ProxyHarness.fast();
        ClusterConfig api = routed.clusterBuilder("api")
                .backend(new BackendConfig("b3", Endpoint.parse(backends.get("b3").address()))).build();
        ClusterConfig web = routed.clusterBuilder("web")
                .backend(new BackendConfig("b4", Endpoint.parse(backends.get("b4").address()))).build();
        routed.cluster(api).cluster(web)
                .route(RouteConfig.builder(api).name("api").match(RouteMatch.builder().pathPrefix("/api").build())
                        .build())
                .route(RouteConfig.builder(web).name("web").build());
        ReloadSummary summary = proxy.reload(routed.build());

        assertThat(get("/api/x").body()).isEqualTo("b3");
        assertThat(get("/x").body()).isEqualTo("b4");
        assertThat(summary.clustersAdded()).containsExactly("api", "web");
        assertThat(summary.clustersRemoved()).containsExactly("default");
    }

    @Test
    void aListenerChangeIsNamedAsNeedingARestart() throws InterruptedException {
        proxy = HttpProxy.start(flat("b1"));

        ReloadSummary summary = proxy.reload(flat("b1").toBuilder().listen(new Endpoint("127.0.0.1", 1)).build());

        assertThat(summary.needRestart()).containsExactly("listen");
        assertThat(proxy.address().getPort()).as("still where it was").isNotEqualTo(1);
    }

    @Test
    void aStoppedProxyTakesNoNewConfig() throws InterruptedException {
        proxy = HttpProxy.start(flat("b1"));
        proxy.stop(Duration.ZERO);

        assertThatThrownBy(() -> proxy.reload(flat("b1", "b2"))).isInstanceOf(IllegalStateException.class);
        proxy = null;
    }

    /**
     * Twenty reloads — adding, removing and re-weighting backends, changing a route — under an open-loop load of
     * 1,000 requests/s: no request fails, and a backend left as it was keeps its circuit throughout (b4 is
     * crashed: its circuit opens once and stays the same circuit, never a fresh closed one).
     */
    @Test
    void twentyReloadsUnderLoadFailNoRequestAndKeepTheCircuitsOfUnchangedBackends() throws Exception {
        backends.get("b4").crash();
        proxy = HttpProxy.start(flat("b1", "b2", "b4"));
        ProxyHarness.await("b4's circuit opened", () -> core("b4").breaker().snapshot().timesOpened() > 0);
        Backend b4 = core("b4");
        // Warm the request path first: on a cold JVM the first second of an open-loop load is the JIT's (every
        // request waits while the event loops load and compile the path), and on a machine busy with other work
        // that stretched past a second and filled the load's 1,000 connections before any reload (seen with
        // JFR: the slow requests were the load's first, the event loops waiting on class loading). Measured
        // here is what reloads cost, so the first reload still comes on request-path code, not reload code, warm.
        try (OpenLoopLoad warmUp = OpenLoopLoad.start(proxy.address(), "/", 1000, Duration.ofSeconds(5), 1000,
                r -> { })) {
            ProxyHarness.await("the warm-up load went out", () -> warmUp.sent() >= 2000);
        }
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        List<ProxyConfig> configs = List.of(
                flat("b1", "b2", "b3", "b4"),
                flat(Map.of("b1", 2, "b2", 1, "b3", 1, "b4", 1)),
                flat("b2", "b3", "b4"),
                routedTo("b1", "b3", "b4"),
                flat("b1", "b2", "b4"));
        int reloads = 0;
        List<Long> b4Openings = new ArrayList<>();
        try (OpenLoopLoad load = OpenLoopLoad.start(proxy.address(), "/", 1000, Duration.ofSeconds(5), 1000,
                results::add)) {
            while (reloads < 20) {
                ProxyHarness.await("some load went out", () -> load.sent() > 0);
                long sentBefore = load.sent();
                proxy.reload(configs.get(reloads % configs.size()));
                reloads++;
                assertThat(core("b4")).as("b4 is the same backend after reload " + reloads).isSameAs(b4);
                b4Openings.add(proxy.backends().find("b4").orElseThrow().breaker().snapshot().timesOpened());
                ProxyHarness.await("load goes on between reloads", () -> load.sent() >= sentBefore + 200);
            }
            long sent = load.sent();
            load.stopSending();
            ProxyHarness.await("every request is answered", () -> results.size() >= sent);
        }

        assertThat(results).hasSizeGreaterThanOrEqualTo(4000);
        assertThat(results).filteredOn(r -> !r.ok()).as("failed requests").isEmpty();
        assertThat(b4Openings).as("b4's circuit kept: its openings never start again from 0").isSorted()
                .allSatisfy(n -> assertThat(n).isPositive());
    }

    /** A config with a route: {@code /} to a cluster of {@code names}. */
    private ProxyConfig routedTo(String... names) {
        ProxyConfig.Builder b = ProxyHarness.fast();
        ClusterConfig.Builder c = b.clusterBuilder("default");
        for (String n : names) {
            c.backend(new BackendConfig(n, Endpoint.parse(backends.get(n).address())));
        }
        ClusterConfig cluster = c.build();
        return b.cluster(cluster).route(RouteConfig.builder(cluster).match(RouteMatch.builder().pathPrefix("/").build())
                .build()).build();
    }
}
