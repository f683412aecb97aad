package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.http.config.Hedging;
import io.healthyproxy.http.config.RetryPolicy;
import io.healthyproxy.http.config.StatusCodes;
import io.healthyproxy.testkit.load.LoadResult;
import io.healthyproxy.testkit.RawConnection;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Backends failing in every way the proxy must absorb, over real sockets. */
@Timeout(90)
class ProxyFailureTest {

    private static Map<String, Long> outcomes(List<LoadResult> results) {
        return results.stream().collect(Collectors.groupingBy(
                r -> r.ok() ? "ok" : r.status() > 0 ? "status " + r.status() : "error " + r.error(),
                Collectors.counting()));
    }

    @Test
    void aBackendCrashingUnderLoadCostsTheClientsNothing() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(3)) {
            List<LoadResult> results = h.load(200, Duration.ofSeconds(3), Duration.ofSeconds(1),
                    () -> h.backend(1).crash());

            assertThat(outcomes(results)).containsOnlyKeys("ok");
            assertThat(h.circuit(1)).isNotEqualTo(CircuitState.CLOSED);
            assertThat(h.core(1).health().isHealthy()).isFalse();
        }
    }

    @Test
    void aFrozenBackendCostsTheClientsNoErrorAndLittleTime() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(3)) {
            List<LoadResult> results = h.load(200, Duration.ofSeconds(3), Duration.ofSeconds(1),
                    () -> h.backend(1).freeze());

            assertThat(outcomes(results)).containsOnlyKeys("ok");
            long slowest = results.stream().mapToLong(LoadResult::latencyNanos).max().orElseThrow();
            // A bound that only a missing hedge or per-try timeout could break; the benchmark measures the real figure.
            assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(900));
            // Out of traffic: ejected for slowness, or its health checks (timing out) took it out.
            assertThat(h.core(1).admitsTraffic()).isFalse();
        }
    }

    @Test
    void aServerErrorStormOpensTheCircuitAfterExactlyNThenOneTrialPerHalfOpenPeriod() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2, b -> b
                .breaker(ProxyHarness.FAST_BREAKER.toBuilder().openDuration(Duration.ofSeconds(1)).build())
                .failureStatuses(StatusCodes.parse("500,502,503,504"))
                .retries(new RetryPolicy(3, StatusCodes.parse("500,502,503,504"), 0.2, 3, Hedging.OFF)))) {
            h.backend(2).traffic().status(500);         // its /health keeps answering 200

            while (h.circuit(2) == CircuitState.CLOSED) {
                assertThat(h.get("/").statusCode()).as("every client request is retried to b1").isEqualTo(200);
            }
            assertThat(h.backend(2).trafficRequests()).as("requests that reached b2 before it opened").isEqualTo(5);

            for (int i = 0; i < 20; i++) {
                h.get("/");
            }
            assertThat(h.backend(2).trafficRequests()).as("none while open").isEqualTo(5);

            h.awaitCircuit(2, CircuitState.HALF_OPEN);
            ProxyHarness.await("some health checks pass while half-open",
                    () -> h.core(2).health().status().consecutivePasses() >= 3);
            assertThat(h.circuit(2)).as("passing health checks do not close it").isEqualTo(CircuitState.HALF_OPEN);
            while (h.circuit(2) == CircuitState.HALF_OPEN) {
                assertThat(h.get("/").statusCode()).isEqualTo(200);
            }
            assertThat(h.backend(2).trafficRequests()).as("exactly one trial, which failed").isEqualTo(6);
            assertThat(h.core(2).breaker().snapshot().timesOpened()).isEqualTo(2);

            h.backend(2).traffic().ok();
            h.awaitCircuit(2, CircuitState.HALF_OPEN);
            while (h.circuit(2) == CircuitState.HALF_OPEN) {
                h.get("/");
            }
            assertThat(h.circuit(2)).isEqualTo(CircuitState.CLOSED);
            assertThat(h.backend(2).trafficRequests()).as("exactly one trial, which succeeded").isEqualTo(7);
            for (int i = 0; i < 10; i++) {
                h.get("/");
            }
            assertThat(h.backend(2).trafficRequests()).as("b2 serves again").isEqualTo(12);
        }
    }

    /** With the defaults, a 500 counts against a backend only when another backend answers the same request. */
    @Test
    void aBackendAnswering500ToEverythingIsEjectedWhileItsClientsGetTheOthersAnswers() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(3)) {
            h.backend(2).traffic().status(500);         // its /health keeps answering 200

            for (int i = 0; i < 30; i++) {
                HttpResponse<String> r = h.get("/");
                assertThat(r.statusCode()).as("request " + i).isEqualTo(200);
                assertThat(r.body()).isNotEqualTo("b2");
            }

            assertThat(h.circuit(2)).isEqualTo(CircuitState.OPEN);
            assertThat(h.backend(2).trafficRequests()).as("a handful reached it before its circuit opened")
                    .isEqualTo(5);
            assertThat(h.core(1).failed() + h.core(3).failed()).isZero();
        }
    }

    @Test
    void anEndpointAnswering500OnEveryBackendEjectsNone() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(3)) {
            for (int i = 1; i <= 3; i++) {
                h.backend(i).traffic().status(500);
            }

            for (int i = 0; i < 20; i++) {
                assertThat(h.get("/").statusCode()).isEqualTo(500);
            }

            for (int i = 1; i <= 3; i++) {
                assertThat(h.circuit(i)).isEqualTo(CircuitState.CLOSED);
                assertThat(h.core(i).failed()).isZero();
            }
            long reached = h.backends.stream().mapToLong(b -> b.trafficRequests()).sum();
            assertThat(reached).as("one extra try per request").isEqualTo(40);
        }
    }

    @Test
    void withEveryBackendDownClientsGetA503AtOnceAndNoBackendIsBothered() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2)) {
            h.backend(1).crash();
            h.backend(2).crash();
            ProxyHarness.await("no backend admits traffic", () -> h.proxy.backends().admitting().isEmpty());
            h.backend(1).resetCounters();

            try (RawConnection client = h.raw()) {
                RawConnection.Response first = client.sendGet("/").readResponse();
                RawConnection.Response second = client.sendGet("/").readResponse();

                assertThat(first.status()).isEqualTo(503);
                assertThat(first.headers()).containsEntry("retry-after", "1");
                assertThat(first.body()).startsWith("{\"status\":503,\"error\":\"no_backend\"");
                assertThat(second.status()).as("the connection stays usable").isEqualTo(503);
            }
            assertThat(h.admin("/metrics")).contains("healthyproxy_requests_total{code=\"503\",source=\"proxy\"} 2.0");
        }
    }

    @Test
    void aNonIdempotentRequestIsNeverSentTwiceButIsRetriedWhenNothingWasSent() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2, ProxyHarness::withoutHealthChecks)) {
            h.backend(1).traffic().closeBeforeResponse();

            HttpResponse<String> first = h.post("/orders", "one");
            HttpResponse<String> second = h.post("/orders", "two");

            assertThat(List.of(first.statusCode(), second.statusCode())).containsExactlyInAnyOrder(502, 200);
            assertThat(h.backend(1).requests("/orders")).as("the failed POST was not replayed").isOne();
            assertThat(h.backend(2).requests("/orders")).isOne();

            h.backend(1).crash();                   // now nothing can even be sent to b1
            for (int i = 0; i < 4; i++) {
                assertThat(h.post("/orders", "more").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void anIdempotentRequestIsRetriedOnAnotherBackendAfterAReset() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2, ProxyHarness::withoutHealthChecks)) {
            h.backend(1).traffic().closeBeforeResponse();

            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = h.get("/items");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("b2");
            }
            assertThat(h.admin("/metrics")).contains("healthyproxy_retries_total{reason=\"backend_reset\"}");
        }
    }

    @Test
    void theRetryBudgetCapsRetriesOfRequestsABackendMayHaveReceived() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2, b -> ProxyHarness.withoutHealthChecks(b)
                .retries(new RetryPolicy(3, StatusCodes.GATEWAY_ERRORS, 0.0, 0, Hedging.OFF)))) {
            h.backend(1).traffic().closeBeforeResponse();

            List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                statuses.add(h.get("/").statusCode());
            }

            assertThat(statuses).as("no budget: b1's failures reach the client").contains(502).contains(200);
            assertThat(h.admin("/metrics")).doesNotContain("healthyproxy_retries_total{")
                    .containsPattern("healthyproxy_retry_budget_exhausted_total\\{cluster=\"default\"} [1-9]");
        }
    }

    @Test
    void aRequestThatReachedNoBackendIsRetriedWithoutBudget() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(2, b -> ProxyHarness.withoutHealthChecks(b)
                .retries(new RetryPolicy(3, StatusCodes.GATEWAY_ERRORS, 0.0, 0, Hedging.OFF)))) {
            h.backend(1).crash();

            for (int i = 0; i < 4; i++) {
                assertThat(h.get("/").statusCode()).isEqualTo(200);
            }
            assertThat(h.admin("/metrics")).contains("healthyproxy_retries_total{reason=\"backend_unreachable\"}");
        }
    }

    @Test
    void aMalformedBackendResponseIsA502TheConnectionIsDroppedAndTheBreakerHears() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(1, ProxyHarness::withoutHealthChecks)) {
            h.backend(1).traffic().malformedResponse();

            HttpResponse<String> r = h.get("/");

            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("\"error\":\"backend_bad_response\"");
            assertThat(h.core(1).breaker().snapshot().consecutiveFailures()).isOne();

            h.backend(1).traffic().ok();
            assertThat(h.get("/").statusCode()).as("a fresh connection works").isEqualTo(200);
        }
    }

    @Test
    void aBackendResettingMidwayThroughAHeldResponseCostsTheClientOnlyARetry() throws Exception {
        // No hedging: a hedge to b2 (100 ms until there are samples) wins when b1 is slow to its first answer
        // on a busy machine, and b1's request is then called off, counted by b1 but never on its breaker.
        try (ProxyHarness h = ProxyHarness.start(2, b -> ProxyHarness.withoutHealthChecks(b)
                .retries(new RetryPolicy(RetryPolicy.DEFAULTS.maxAttempts(), RetryPolicy.DEFAULTS.retryOn(),
                        RetryPolicy.DEFAULTS.budgetRatio(), RetryPolicy.DEFAULTS.budgetMinimum(), Hedging.OFF,
                        RetryPolicy.DEFAULTS.secondOpinionOn())));
                RawConnection client = h.raw()) {
            h.backend(1).traffic().resetMidResponse();

            List<RawConnection.Response> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(client.sendGet("/").readResponse());
            }

            // Every GET that went to b1 broke off there and was tried again on b2, on the same client connection.
            assertThat(answers).extracting(RawConnection.Response::status).containsOnly(200);
            assertThat(answers).extracting(RawConnection.Response::body).containsOnly("b2");
            long broken = h.backend(1).trafficRequests();
            assertThat(broken).isPositive();
            assertThat((long) h.core(1).breaker().snapshot().consecutiveFailures()).as("b1's breaker heard")
                    .isEqualTo(broken);
        }
    }

    @Test
    void aBackendResettingMidwayThroughARelayedResponseClosesTheClientsConnection() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(1, ProxyHarness::withoutHealthChecks);
                RawConnection client = h.raw()) {
            h.backend(1).traffic().resetMidResponse();

            // A POST cannot be repeated, so its response is relayed as it arrives, and cannot be taken back.
            RawConnection.Ending ending = client.send("POST", "/", "Content-Length: 2").sendRaw("hi").readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 200 OK").contains("content-length: 1024");
            assertThat(ending.received()).doesNotEndWith("\r\n\r\n");
            ProxyHarness.await("the breaker heard", () -> h.core(1).breaker().snapshot().consecutiveFailures() == 1);
        }
    }

    @Test
    void aBackendThatNeverAnswersGetsA504AfterThePerTryTimeout() throws Exception {
        try (ProxyHarness h = ProxyHarness.start(1, b -> ProxyHarness.withoutHealthChecks(b)
                .retries(new RetryPolicy(3, StatusCodes.GATEWAY_ERRORS, 0.2, 3, Hedging.OFF)))) {
            h.backend(1).traffic().freeze();

            HttpResponse<String> r = h.get("/");

            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("\"error\":\"backend_timeout\"").contains("b1 did not answer in time");
        }
    }

    @Test
    void stoppingLetsRequestsUnderWayFinishAndRefusesNewConnections() throws Exception {
        ProxyHarness h = ProxyHarness.start(1, ProxyHarness::withoutHealthChecks);
        try {
            h.backend(1).traffic().slow(Duration.ofMillis(300));
            var inFlight = h.client.sendAsync(java.net.http.HttpRequest.newBuilder(h.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(h.backend(1).awaitRequests(1, ProxyHarness.PATIENCE)).isTrue();

            int cutOff = h.proxy.stop(Duration.ofSeconds(5));

            assertThat(cutOff).isZero();
            assertThat(inFlight.get().statusCode()).isEqualTo(200);
            assertThat(inFlight.get().body()).isEqualTo("b1");
            assertThat(canConnect(h.proxy.address().getPort())).isFalse();
        } finally {
            h.close();
        }
    }

    @Test
    void stoppingCutsOffWhatTheGracePeriodCannotWaitFor() throws Exception {
        ProxyHarness h = ProxyHarness.start(1, ProxyHarness::withoutHealthChecks);
        try {
            h.backend(1).traffic().freeze();
            var hung = h.client.sendAsync(java.net.http.HttpRequest.newBuilder(h.uri("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(h.backend(1).awaitRequests(1, ProxyHarness.PATIENCE)).isTrue();

            int cutOff = h.proxy.stop(Duration.ofMillis(100));

            assertThat(cutOff).isOne();
            assertThat(hung).failsWithin(ProxyHarness.PATIENCE);
        } finally {
            h.close();
        }
    }

    private static boolean canConnect(int port) {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }
}
