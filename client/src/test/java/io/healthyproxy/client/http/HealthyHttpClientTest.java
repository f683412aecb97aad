package io.healthyproxy.client.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.breaker.CircuitState;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP client over real sockets against JDK HttpServer backends: one dies, one is slow, one answers 500. */
class HealthyHttpClientTest {

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void aBackendThatDiesIsRoutedAroundAndItsCircuitOpensWhileEveryRequestIsAnswered() throws Exception {
        JdkBackend live = backend("live");
        JdkBackend dying = backend("dying");
        HealthyHttpClient client = client(HealthyHttpClient.builder().noHealthCheck().hedging(false)
                .backend(live.uri()).backend(dying.uri()));
        dying.die();

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(client.send(ServiceRequest.get("/work"), BodyHandlers.ofString()).body());
        }

        assertThat(answers).containsOnly("live");
        assertThat(backendAt(client, dying).breaker().state()).isEqualTo(CircuitState.OPEN);
        assertThat(backendAt(client, dying).failed()).as("5 refused connections open it").isEqualTo(5);
    }

    @Test
    void aSlowBackendIsHedgedAroundTheAnswerComingFromTheFastOne() throws Exception {
        JdkBackend fast = backend("fast");
        JdkBackend slow = backend("slow");
        slow.delay = Duration.ofSeconds(3);
        HealthyHttpClient client = client(HealthyHttpClient.builder().noHealthCheck()
                .hedgeDelay(Duration.ofMillis(50)).backend(slow.uri()).backend(fast.uri()));

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(client.sendAsync(ServiceRequest.get("/work"), BodyHandlers.ofString()));
        }
        long started = System.nanoTime();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get().body()).isEqualTo("fast");
        }

        assertThat(slow.requests.get()).as("the slow one got its share, and was overtaken").isPositive();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no answer waited for the slow one")
                .isLessThan(slow.delay);
        assertThat(backendAt(client, slow).failed()).as("slow is not broken").isZero();
    }

    @Test
    void aBackendAnswering500ToEverythingIsEjectedWhen500CountsAndItsClientsGetTheOthersAnswers() throws Exception {
        JdkBackend good = backend("good");
        JdkBackend broken = backend("broken");
        broken.status = 500;
        HealthyHttpClient client = client(HealthyHttpClient.builder().noHealthCheck().hedging(false)
                .failureStatuses(Set.of(500, 502, 503, 504)).backend(broken.uri()).backend(good.uri()));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = client.send(ServiceRequest.get("/work"), BodyHandlers.ofString());
            statuses.add(r.statusCode());
        }

        assertThat(statuses).containsOnly(200);
        assertThat(broken.requests.get()).as("5 to open, then none within the opening").isEqualTo(5);
        assertThat(backendAt(client, broken).breaker().state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void byDefaultA500IsPassedBackAsTheBackendsAnswer() throws Exception {
        JdkBackend broken = backend("broken");
        broken.status = 500;
        HealthyHttpClient client = client(HealthyHttpClient.builder().noHealthCheck().backend(broken.uri()));

        HttpResponse<String> r = client.send(ServiceRequest.get("/work"), BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.uri().getPort()).isEqualTo(broken.uri().getPort());
        assertThat(backendAt(client, broken).failed()).isZero();
    }

    @Test
    void aPostThatReachedABackendIsNotRetriedButOneThatCouldNotConnectIs() throws Exception {
        JdkBackend unavailable = backend("unavailable");
        unavailable.status = 503;
        JdkBackend dead = backend("dead");
        dead.die();
        JdkBackend good = backend("good");
        HealthyHttpClient client = client(HealthyHttpClient.builder().noHealthCheck().hedging(false)
                .backend(unavailable.uri()).backend(dead.uri()).backend(good.uri()));
        ServiceRequest post = ServiceRequest.builder("/orders").POST(BodyPublishers.ofString("{}")).build();

        HttpResponse<String> first = client.send(post, BodyHandlers.ofString());     // round robin: unavailable
        HttpResponse<String> second = client.send(post, BodyHandlers.ofString());    // dead, then good

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(second.body()).isEqualTo("good");
        assertThat(unavailable.requests.get()).isEqualTo(1);
    }

    @Test
    void activeChecksMarkABackendThatDiedUnhealthyWithNoTrafficAtAll() throws Exception {
        JdkBackend live = backend("live");
        JdkBackend dying = backend("dying");
        HealthyHttpClient client = client(HealthyHttpClient.builder()
                .healthCheck("/health", io.healthyproxy.core.health.HealthCheckConfig.builder()
                        .interval(Duration.ofMillis(50)).unhealthyInterval(Duration.ofMillis(50))
                        .timeout(Duration.ofMillis(500)).build())
                .backend(live.uri()).backend(dying.uri()));
        dying.die();

        awaitTrue(() -> !backendAt(client, dying).health().isHealthy(), Duration.ofSeconds(10));

        assertThat(backendAt(client, live).health().isHealthy()).isTrue();
        assertThat(client.send(ServiceRequest.get("/work"), BodyHandlers.ofString()).body()).isEqualTo("live");
    }

    private JdkBackend backend(String name) throws Exception {
        JdkBackend b = new JdkBackend(name);
        closing.add(b);
        return b;
    }

    private HealthyHttpClient client(HealthyHttpClient.Builder b) {
        HealthyHttpClient client = b.build();
        closing.add(0, client);
        return client;
    }

    private static Backend backendAt(HealthyHttpClient client, JdkBackend b) {
        return client.group().find(b.uri().toString()).orElseThrow();
    }

    /** Waits for {@code condition}, checking every 10 ms, failing after {@code deadline}. */
    private static void awaitTrue(BooleanSupplier condition, Duration deadline) throws InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - until).as("condition within %s", deadline).isNegative();
            Thread.sleep(10);
        }
    }
}
