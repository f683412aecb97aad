package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.healthyproxy.core.Backend;
import io.healthyproxy.http.config.DiscoveredBackends;
import io.healthyproxy.http.config.DiscoverySettings;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.testkit.ControllableBackend;
import io.healthyproxy.testkit.Dnsmasq;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Backends found in DNS, against a real DNS server (dnsmasq on 127.0.0.1): every address of a name, SRV targets
 * with their ports and weights, answers that change while traffic flows, a server that stops answering, a name
 * that resolves only later.
 */
@Timeout(90)
class DiscoveryTest {

    private static final Duration EVERY = Duration.ofMillis(100);

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ControllableBackend> backends = new ArrayList<>();
    private Dnsmasq dns;
    private HttpProxy proxy;
    private int port;

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.stop(Duration.ZERO);
        }
        if (dns != null) {
            dns.close();
        }
        servers.forEach(s -> s.stop(0));
        backends.forEach(ControllableBackend::close);
    }

    @Test
    void everyAddressOfANameIsABackendAndTheSetFollowsTheAnswer() throws Exception {
        serveOn("127.0.0.2", "127.0.0.3", "127.0.0.4");
        dns = Dnsmasq.start(Map.of("api.test", List.of("127.0.0.2", "127.0.0.3")), List.of());
        proxy = HttpProxy.start(config(DiscoveredBackends.dns("api.test:" + port).resolvedEvery(EVERY, false)));

        assertThat(backendNames()).containsExactly("api.test:" + port + "@127.0.0.2:" + port,
                "api.test:" + port + "@127.0.0.3:" + port);
        assertThat(answers(20)).as("both take traffic").containsExactly("127.0.0.2", "127.0.0.3");
        Backend kept = backend("127.0.0.3");

        // The answer changes while requests flow: .2 goes, .4 comes; no request fails on the way.
        AtomicInteger failures = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread traffic = traffic(failures, done);
        dns.hosts(Map.of("api.test", List.of("127.0.0.3", "127.0.0.4")));
        ProxyHarness.await("the proxy follows the new answer", () -> backendNames().equals(List.of(
                "api.test:" + port + "@127.0.0.3:" + port, "api.test:" + port + "@127.0.0.4:" + port)));
        done.set(true);
        traffic.join();

        assertThat(failures).as("requests that failed while the set changed").hasValue(0);
        assertThat(backend("127.0.0.3")).as("an address that stays keeps its backend").isSameAs(kept);
        assertThat(answers(20)).containsExactly("127.0.0.3", "127.0.0.4");
    }

    @Test
    void srvRecordsGiveTargetsWithTheirPortsAndWeightsAndOnlyTheLowestPriorityIsUsed() throws Exception {
        ControllableBackend heavy = started("heavy");
        ControllableBackend light = started("light");
        ControllableBackend backup = started("backup");
        dns = Dnsmasq.start(Map.of("local.test", List.of("127.0.0.1")), List.of(
                new Dnsmasq.Srv("_http._tcp.api.test", "local.test", heavy.port(), 0, 3),
                new Dnsmasq.Srv("_http._tcp.api.test", "local.test", light.port(), 0, 1),
                new Dnsmasq.Srv("_http._tcp.api.test", "local.test", backup.port(), 1, 1)));
        proxy = HttpProxy.start(config(DiscoveredBackends.srv("_http._tcp.api.test").named("api")
                .resolvedEvery(EVERY, false)));

        assertThat(backendNames()).containsExactlyInAnyOrder("api@127.0.0.1:" + heavy.port(),
                "api@127.0.0.1:" + light.port());
        Map<String, Integer> served = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            served.merge(get().body(), 1, Integer::sum);
        }
        assertThat(served).as("weights 3 and 1 from the SRV records").containsEntry("heavy", 30)
                .containsEntry("light", 10).doesNotContainKey("backup");

        // The primaries' records go: the next priority's target is the set now.
        dns.srv(List.of(new Dnsmasq.Srv("_http._tcp.api.test", "local.test", backup.port(), 1, 1)));
        ProxyHarness.await("only the backup is left",
                () -> backendNames().equals(List.of("api@127.0.0.1:" + backup.port())));
        assertThat(get().body()).isEqualTo("backup");
    }

    @Test
    void aServerThatStopsAnsweringLeavesTheLastBackendsInPlaceAndSaysSo() throws Exception {
        serveOn("127.0.0.2", "127.0.0.3");
        dns = Dnsmasq.start(Map.of("api.test", List.of("127.0.0.2", "127.0.0.3")), List.of());
        proxy = HttpProxy.start(config(DiscoveredBackends.dns("api.test:" + port).resolvedEvery(EVERY, false)));

        dns.stop();
        ProxyHarness.await("/status names the failure", () -> status().contains("\"error\""));

        assertThat(backendNames()).hasSize(2);
        assertThat(answers(10)).containsExactly("127.0.0.2", "127.0.0.3");
        dns.restart();
        ProxyHarness.await("the error clears once it answers again", () -> !status().contains("\"error\""));
        assertThat(status()).contains("\"query\" : \"api.test\"", "\"backends\" : 2");
    }

    @Test
    void aNameThatResolvesOnlyLaterFillsTheClusterThen() throws Exception {
        serveOn("127.0.0.2");
        dns = Dnsmasq.start(Map.of("other.test", List.of("127.0.0.9")), List.of());
        proxy = HttpProxy.start(config(DiscoveredBackends.dns("api.test:" + port).resolvedEvery(EVERY, false)));

        assertThat(backendNames()).isEmpty();
        assertThat(get().statusCode()).as("no backend yet").isEqualTo(503);
        assertThat(status()).contains("api.test");

        dns.hosts(Map.of("api.test", List.of("127.0.0.2")));
        ProxyHarness.await("the backend appears", () -> backendNames().size() == 1);
        assertThat(get().body()).isEqualTo("127.0.0.2");
    }

    @Test
    void aReloadThatKeepsTheEntryKeepsItsBackendsAndANewEntryIsResolvedBeforeItTakesEffect() throws Exception {
        serveOn("127.0.0.2", "127.0.0.3");
        dns = Dnsmasq.start(Map.of("a.test", List.of("127.0.0.2"), "b.test", List.of("127.0.0.3")), List.of());
        DiscoveredBackends a = DiscoveredBackends.dns("a.test:" + port).resolvedEvery(EVERY, false);
        proxy = HttpProxy.start(config(a));
        Backend first = backend("127.0.0.2");

        ReloadSummary summary = proxy.reload(config(a, DiscoveredBackends.dns("b.test:" + port)
                .resolvedEvery(EVERY, false)));

        assertThat(backend("127.0.0.2")).isSameAs(first);
        assertThat(summary.backendsKept()).isEqualTo(1);
        assertThat(summary.backendsAdded()).containsExactly("default/b.test:" + port + "@127.0.0.3:" + port);
        assertThat(answers(10)).containsExactly("127.0.0.2", "127.0.0.3");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private ProxyConfig config(DiscoveredBackends... entries) {
        ProxyConfig.Builder b = ProxyHarness.fast()
                .discovery(new DiscoverySettings(List.of(Endpoint.parse(dns.address())), Duration.ofSeconds(1)));
        for (DiscoveredBackends e : entries) {
            b.discover(e);
        }
        return b.build();
    }

    /** An HTTP server on each address, all on one port, answering with its address. */
    private void serveOn(String... addresses) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                List<HttpServer> started = new ArrayList<>();
                int p = 0;
                for (String a : addresses) {
                    HttpServer s = HttpServer.create(new InetSocketAddress(a, p), 64);
                    started.add(s);
                    p = s.getAddress().getPort();
                    s.createContext("/", exchange -> {
                        byte[] body = a.getBytes(StandardCharsets.US_ASCII);
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                    });
                    s.start();
                }
                servers.addAll(started);
                port = p;
                return;
            } catch (java.net.BindException e) {
                // the first address's port was free there but taken on another address: try another port
                servers.forEach(s -> s.stop(0));
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private ControllableBackend started(String name) {
        ControllableBackend b = ControllableBackend.start(name);
        backends.add(b);
        return b;
    }

    private List<String> backendNames() {
        return proxy.backends().backends().stream().map(Backend::id).sorted().toList();
    }

    private Backend backend(String address) {
        return proxy.backends().backends().stream().filter(b -> b.id().contains("@" + address + ":"))
                .findFirst().orElseThrow();
    }

    private HttpResponse<String> get() throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.address().getPort() + "/"))
                .timeout(ProxyHarness.PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Which backends answered {@code n} requests, each of which must succeed. */
    private Set<String> answers(int n) throws IOException, InterruptedException {
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = get();
            assertThat(r.statusCode()).isEqualTo(200);
            seen.add(r.body());
        }
        return seen;
    }

    private String status() {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminAddress().getPort()
                    + "/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Requests one after another on a thread of its own until {@code done} (at most 100,000), counting those not
     * answered 200.
     */
    private Thread traffic(AtomicInteger failures, AtomicBoolean done) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < 100_000 && !done.get(); i++) {
                try {
                    if (get().statusCode() != 200) {
                        failures.incrementAndGet();
                    }
                } catch (IOException | InterruptedException e) {
                    failures.incrementAndGet();
                }
            }
        }, "traffic");
        t.start();
        return t;
    }

}
