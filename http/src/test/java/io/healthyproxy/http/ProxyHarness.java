package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.Timeouts;
import io.healthyproxy.testkit.load.LoadResult;
import io.healthyproxy.testkit.load.OpenLoopLoad;
import io.healthyproxy.testkit.ControllableBackend;
import io.healthyproxy.testkit.RawConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A proxy in front of real backends on 127.0.0.1, with timeouts short enough for tests, and the clients to
 * talk to it. Waits are for conditions, with generous deadlines; nothing sleeps for time to pass.
 */
final class ProxyHarness implements AutoCloseable {

    /** "Should happen" bound for waits: far beyond anything a healthy run needs. */
    static final Duration PATIENCE = Duration.ofSeconds(15);

    final List<ControllableBackend> backends = new ArrayList<>();
    final HttpProxy proxy;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ProxyHarness(int count, UnaryOperator<ProxyConfig.Builder> tweak) throws InterruptedException {
        ProxyConfig.Builder config = fast();
        for (int i = 1; i <= count; i++) {
            ControllableBackend backend = ControllableBackend.start("b" + i);
            backends.add(backend);
            config.backend(new BackendConfig("b" + i, Endpoint.parse(backend.address())));
        }
        try {
            proxy = HttpProxy.start(tweak.apply(config).build());
        } catch (RuntimeException | InterruptedException e) {
            backends.forEach(ControllableBackend::close);
            throw e;
        }
    }

    static ProxyHarness start(int backends) throws InterruptedException {
        return start(backends, b -> b);
    }

    static ProxyHarness start(int backends, UnaryOperator<ProxyConfig.Builder> tweak) throws InterruptedException {
        return new ProxyHarness(backends, tweak);
    }

    /** Circuits open for 500 ms, without jitter. */
    static final io.healthyproxy.core.breaker.CircuitBreakerConfig FAST_BREAKER = ProxyConfig.DEFAULT_BREAKER.toBuilder()
            .openDuration(Duration.ofMillis(500)).openJitter(0).trialTimeout(Duration.ofSeconds(3)).build();

    /**
     * Ephemeral ports; checks every 100 ms; {@link #FAST_BREAKER}; 2 s per try, 6 s per request. The try and
     * request limits are far above what any test backend takes when healthy, so a machine busy with other
     * builds (a stall of half a second is ordinary there) never turns a slow answer into a 504; a test about
     * those limits sets its own.
     */
    static ProxyConfig.Builder fast() {
        return ProxyConfig.builder()
                .listen(new Endpoint("127.0.0.1", 0))
                .admin(new Endpoint("127.0.0.1", 0))
                .breaker(FAST_BREAKER)
                .healthCheck(HttpHealthCheck.defaults().withSchedule(HealthCheckConfig.builder()
                        .interval(Duration.ofMillis(100)).unhealthyInterval(Duration.ofMillis(50))
                        .timeout(Duration.ofMillis(300)).build()))
                .timeouts(timeouts(Duration.ofSeconds(2), Duration.ofSeconds(6)));
    }

    static Timeouts timeouts(Duration perTry, Duration request) {
        return Timeouts.builder().connect(Duration.ofSeconds(1)).perTry(perTry).request(request)
                .responseIdle(perTry).clientIdle(Duration.ofSeconds(30)).backendIdle(Duration.ofSeconds(30))
                .requestHeader(Duration.ofSeconds(2)).shutdownGrace(Duration.ofSeconds(3)).build();
    }

    /** The same config, without active health checks (for tests about passive health alone). */
    static ProxyConfig.Builder withoutHealthChecks(ProxyConfig.Builder b) {
        HttpHealthCheck h = HttpHealthCheck.defaults();
        return b.healthCheck(new HttpHealthCheck(false, h.method(), h.path(), h.expect(), h.schedule()));
    }

    ControllableBackend backend(int number) {
        return backends.get(number - 1);
    }

    Backend core(int number) {
        return proxy.backends().find("b" + number).orElseThrow();
    }

    CircuitState circuit(int number) {
        return core(number).breaker().state();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + proxy.address().getPort() + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(PATIENCE).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(PATIENCE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String admin(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminAddress().getPort()
                + path)).timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    RawConnection raw() {
        return RawConnection.to(proxy.address().getPort());
    }

    /** Waits until {@code condition} holds; fails the test after {@link #PATIENCE}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting until " + what);
            }
            Thread.sleep(5);                    // polling a condition, not waiting for time to pass
        }
    }

    void awaitCircuit(int number, CircuitState state) throws InterruptedException {
        await("b" + number + "'s circuit is " + state, () -> circuit(number) == state);
    }

    /**
     * Sends an open-loop load of {@code perSecond} requests a second to {@code /} for {@code duration}; after
     * {@code faultAfter}, runs {@code fault}. Then stops sending and returns every request's result once all
     * have come in (closing the generator earlier would cut off the requests still in flight).
     */
    List<LoadResult> load(double perSecond, Duration duration, Duration faultAfter, Runnable fault)
            throws InterruptedException {
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        long expected = (long) (perSecond * duration.toNanos() / 1e9);
        try (OpenLoopLoad load = OpenLoopLoad.start(proxy.address(), "/", perSecond, Duration.ofSeconds(5), 1000,
                results::add)) {
            await("the fault is due", () -> load.sent() >= perSecond * faultAfter.toNanos() / 1e9);
            fault.run();
            await("the load has been sent", () -> load.sent() >= expected);
            load.stopSending();
            await("every request has been answered or has failed", () -> results.size() >= load.sent());
        }
        assertThat(results).hasSizeGreaterThanOrEqualTo((int) expected);
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            proxy.stop(Duration.ZERO);
        } finally {
            backends.forEach(ControllableBackend::close);
        }
    }
}
