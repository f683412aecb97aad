package io.healthyproxy.testkit;

import static io.healthyproxy.testkit.DirectClient.BRIEFLY;
import static io.healthyproxy.testkit.DirectClient.CLIENT;
import static io.healthyproxy.testkit.DirectClient.PATIENCE;
import static io.healthyproxy.testkit.DirectClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What each misbehaviour of {@link ControllableBackend} looks like to a client, down to the bytes where it matters. */
class ControllableBackendMisbehaviourTest {

    private final ControllableBackend backend = ControllableBackend.start("b1");

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void answersTheStatusItIsToldWithItsNameInTheBody() throws Exception {
        backend.status(503);

        HttpResponse<String> response = get(backend, "/");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("b1 answers 503");
        assertThat(response.headers().firstValue("X-Backend")).hasValue("b1");
    }

    @Test
    void healthChecksAreControlledApartFromTraffic() throws Exception {
        backend.traffic().status(500);

        assertThat(get(backend, "/").statusCode()).isEqualTo(500);
        assertThat(get(backend, ControllableBackend.HEALTH_PATH).statusCode()).isEqualTo(200);

        backend.traffic().ok();
        backend.health().status(503);

        assertThat(get(backend, "/").statusCode()).isEqualTo(200);
        assertThat(get(backend, ControllableBackend.HEALTH_PATH).statusCode()).isEqualTo(503);
        assertThat(backend.trafficRequests()).isEqualTo(2);
        assertThat(backend.healthRequests()).isEqualTo(2);
    }

    @Test
    void frozenBackendReadsRequestsButNeverAnswers() throws Exception {
        backend.freeze();

        assertThatThrownBy(() -> get(backend, "/", BRIEFLY)).isInstanceOf(HttpTimeoutException.class);

        assertThat(backend.awaitRequests(1, PATIENCE)).isTrue();
        assertThat(backend.requestsWhileFrozen()).isEqualTo(1);
    }

    @Test
    void requestsReceivedWhileFrozenStayHungAfterUnfreezeUntilTheBackendCloses() throws Exception {
        backend.freeze();
        CompletableFuture<HttpResponse<String>> hung = CLIENT.sendAsync(
                HttpRequest.newBuilder(backend.uri("/")).build(), BodyHandlers.ofString());
        assertThat(backend.awaitRequests(1, PATIENCE)).isTrue();

        backend.unfreeze();

        assertThat(get(backend, "/").statusCode()).isEqualTo(200);
        assertThat(hung).isNotDone();
        assertThat(backend.requestsWhileFrozen()).isEqualTo(1);

        backend.close();

        assertThat(hung).failsWithin(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Regression: close() ended connections one by one from the caller's thread. The JDK's client resends a GET
     * whose connection ends before any answer on another, pooled connection, and that one could still answer it:
     * the frozen request then got a 200 after close(), in about 1 close of 60.
     */
    @Test
    void aFrozenRequestStaysUnansweredWhenTheClientResendsItAsTheBackendCloses() throws Exception {
        for (int round = 0; round < 200; round++) {
            try (ControllableBackend closing = ControllableBackend.start("closing")) {
                closing.freeze();
                CompletableFuture<HttpResponse<String>> hung = CLIENT.sendAsync(
                        HttpRequest.newBuilder(closing.uri("/")).build(), BodyHandlers.ofString());
                assertThat(closing.awaitRequests(1, PATIENCE)).isTrue();
                closing.unfreeze();
                assertThat(get(closing, "/").statusCode()).as("on a second connection").isEqualTo(200);

                closing.close();

                assertThat(hung).as("the frozen request of round %d", round + 1)
                        .failsWithin(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Test
    void crashResetsFrozenConnections() throws Exception {
        backend.freeze();
        try (RawConnection connection = RawConnection.to(backend)) {
            connection.sendGet("/");
            assertThat(backend.awaitRequests(1, PATIENCE)).isTrue();

            backend.crash();

            assertThat(connection.readUntilEnd()).isEqualTo(new RawConnection.Ending("", true));
        }
    }

    @Test
    void frozenHealthChecksDoNotHoldUpTraffic() throws Exception {
        backend.health().freeze();

        assertThat(get(backend, "/").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> get(backend, ControllableBackend.HEALTH_PATH, BRIEFLY))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void slowBackendAnswersNormallyAfterTheDelay() throws Exception {
        Duration delay = Duration.ofMillis(500);
        backend.slow(delay);

        assertThatThrownBy(() -> get(backend, "/", Duration.ofMillis(100))).isInstanceOf(HttpTimeoutException.class);
        long start = System.nanoTime();
        HttpResponse<String> response = get(backend, "/");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("b1");
        assertThat(took).isGreaterThanOrEqualTo(delay);
    }

    @Test
    void resetMidResponseSendsTheHeadAndPartOfTheBodyThenResets() throws Exception {
        backend.resetMidResponse();

        try (RawConnection connection = RawConnection.to(backend)) {
            RawConnection.Ending ending = connection.sendGet("/").readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 200 OK\r\n")
                    .contains("content-length: " + ResponseWriter.PROMISED_LENGTH + "\r\n")
                    .endsWith("\r\n\r\npartial answer from b1");
            assertThat(ending.reset()).isTrue();
        }
        assertThatThrownBy(() -> get(backend, "/")).isInstanceOf(IOException.class);
    }

    @Test
    void closeBeforeResponseClosesWithoutSendingAByte() throws Exception {
        backend.closeBeforeResponse();

        try (RawConnection connection = RawConnection.to(backend)) {
            assertThat(connection.sendGet("/").readUntilEnd()).isEqualTo(new RawConnection.Ending("", false));
        }
        assertThat(backend.trafficRequests()).isEqualTo(1);
    }

    @Test
    void malformedResponseWritesGarbageThenCloses() throws Exception {
        backend.malformedResponse();

        try (RawConnection connection = RawConnection.to(backend)) {
            assertThat(connection.sendGet("/").readUntilEnd())
                    .isEqualTo(new RawConnection.Ending("garbage\r\n\r\n", false));
        }
        assertThatThrownBy(() -> get(backend, "/")).isInstanceOf(IOException.class);
    }
}
