package io.healthyproxy.testkit;

import static io.healthyproxy.testkit.DirectClient.CLIENT;
import static io.healthyproxy.testkit.DirectClient.PATIENCE;
import static io.healthyproxy.testkit.DirectClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The well-behaved side of {@link ControllableBackend}: answers, keep-alive, bodies, counters. */
class ControllableBackendTest {

    private final ControllableBackend backend = ControllableBackend.start("b1");

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void answersWithItsNameAndEchoesWhatItSawInHeaders() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(backend.uri("/orders?id=7"))
                .header("X-Forwarded-For", "10.1.2.3")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "shop.example")
                .timeout(PATIENCE).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("b1");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.headers().firstValue("X-Backend")).hasValue("b1");
        assertThat(response.headers().firstValue("X-Seen-Method")).hasValue("GET");
        assertThat(response.headers().firstValue("X-Seen-Uri")).hasValue("/orders?id=7");
        assertThat(response.headers().firstValue("X-Seen-Host")).hasValue(backend.address());
        assertThat(response.headers().firstValue("X-Seen-Forwarded-For")).hasValue("10.1.2.3");
        assertThat(response.headers().firstValue("X-Seen-Forwarded-Proto")).hasValue("https");
        assertThat(response.headers().firstValue("X-Seen-Forwarded-Host")).hasValue("shop.example");
        assertThat(response.headers().firstValue("X-Seen-Body-Length")).hasValue("0");
        assertThat(response.headers().firstValue("X-Seen-Via")).as("absent when not sent").isEmpty();
        assertThat(backend.lastRequest()).hasValueSatisfying(seen -> {
            assertThat(seen.method()).isEqualTo("GET");
            assertThat(seen.uri()).isEqualTo("/orders?id=7");
            assertThat(seen.header("x-forwarded-for")).hasValue("10.1.2.3");
        });
    }

    @Test
    void keepsAConnectionAliveForSeveralRequests() throws Exception {
        try (RawConnection connection = RawConnection.to(backend)) {
            assertThat(connection.sendGet("/a").readResponse().body()).isEqualTo("b1");
            assertThat(connection.sendGet("/b").readResponse().body()).isEqualTo("b1");
        }

        assertThat(backend.trafficRequests()).isEqualTo(2);
        assertThat(backend.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void closesTheConnectionWhenTheRequestAsksAndReportsTheConnectionHeaderItSaw() throws Exception {
        try (RawConnection connection = RawConnection.to(backend)) {
            RawConnection.Response response = connection.sendGet("/", "Connection: close, X-Hop").readResponse();

            assertThat(response.headers()).containsEntry("x-seen-connection", "close, X-Hop")
                    .containsEntry("connection", "close");
            assertThat(connection.readUntilEnd()).isEqualTo(new RawConnection.Ending("", false));
        }
    }

    @Test
    void answersHeadWithTheHeadersOfAGetAndNoBody() throws Exception {
        try (RawConnection connection = RawConnection.to(backend)) {
            RawConnection.Response head = connection.send("HEAD", "/").readResponse(true);
            RawConnection.Response get = connection.sendGet("/").readResponse();

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers()).containsEntry("content-length", "2").containsEntry("x-seen-method", "HEAD");
            assertThat(get.body()).as("no stray HEAD body before it").isEqualTo("b1");
        }
    }

    @Test
    void answersPipelinedRequestsInOrderEvenWhenTheFirstIsSlow() throws Exception {
        backend.slow(Duration.ofMillis(200));
        try (RawConnection connection = RawConnection.to(backend)) {
            connection.sendGet("/first");
            assertThat(backend.awaitRequests(1, PATIENCE)).isTrue();
            backend.ok();
            connection.sendGet("/second");

            assertThat(connection.readResponse().headers()).containsEntry("x-seen-uri", "/first");
            assertThat(connection.readResponse().headers()).containsEntry("x-seen-uri", "/second");
        }
    }

    @Test
    void honoursExpectContinue() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(backend.uri("/upload"))
                .expectContinue(true).POST(BodyPublishers.ofString("after 100")).timeout(PATIENCE).build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Seen-Body-Length")).hasValue("9");
    }

    @Test
    void readsAndCountsBodiesOfAnySizeChunkedOrNot() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        Arrays.fill(body, (byte) 'x');

        HttpResponse<String> fixedLength = CLIENT.send(HttpRequest.newBuilder(backend.uri("/upload"))
                .POST(BodyPublishers.ofByteArray(body)).timeout(PATIENCE).build(), BodyHandlers.ofString());
        HttpResponse<String> chunked = CLIENT.send(HttpRequest.newBuilder(backend.uri("/upload"))
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).timeout(PATIENCE).build(),
                BodyHandlers.ofString());

        assertThat(fixedLength.headers().firstValue("X-Seen-Body-Length")).hasValue(String.valueOf(body.length));
        assertThat(chunked.headers().firstValue("X-Seen-Body-Length")).hasValue(String.valueOf(body.length));
        assertThat(backend.lastRequest()).hasValueSatisfying(seen -> {
            assertThat(seen.header("Transfer-Encoding")).hasValue("chunked");
            assertThat(seen.bodyLength()).isEqualTo(body.length);
        });
    }

    @Test
    void echoPathAnswersWithTheRequestBody() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(backend.uri(ControllableBackend.ECHO_PATH))
                .POST(BodyPublishers.ofString("hello, backend")).timeout(PATIENCE).build(), BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("hello, backend");
        assertThat(response.headers().firstValue("X-Backend")).hasValue("b1");
    }

    @Test
    void countsRequestsByRouteAndPathUntilReset() throws Exception {
        get(backend, "/a");
        get(backend, "/a?page=2");
        get(backend, "/b");
        get(backend, ControllableBackend.HEALTH_PATH);

        assertThat(backend.requests()).isEqualTo(4);
        assertThat(backend.trafficRequests()).isEqualTo(3);
        assertThat(backend.healthRequests()).isEqualTo(1);
        assertThat(backend.requests("/a")).isEqualTo(2);
        assertThat(backend.requests("/b")).isEqualTo(1);
        assertThat(backend.requests("/never")).isZero();
        assertThat(backend.acceptedConnections()).isEqualTo(1);
        assertThat(backend.openConnections()).as("kept alive by the client").isEqualTo(1);

        backend.resetCounters();

        assertThat(List.of(backend.requests(), backend.trafficRequests(), backend.healthRequests(),
                backend.requests("/a"), backend.requestsWhileFrozen(), backend.acceptedConnections()))
                .containsOnly(0L);
        assertThat(backend.openConnections()).as("a gauge, not a count").isEqualTo(1);
        assertThat(backend.lastRequest()).isEmpty();
    }

    @Test
    void awaitingRequestsReturnsOnceTheyArriveAndFalseAtTheDeadline() throws Exception {
        assertThat(backend.awaitRequests(1, Duration.ofMillis(50))).isFalse();

        get(backend, "/");
        get(backend, ControllableBackend.HEALTH_PATH);

        assertThat(backend.awaitRequests(1, PATIENCE)).isTrue();
        assertThat(backend.awaitHealthChecks(1, PATIENCE)).isTrue();
        assertThat(backend.awaitRequests(2, Duration.ofMillis(50))).as("the health check is not traffic").isFalse();
    }

    @Test
    void rejectsNamesThatCannotBeAHeaderValueAndStatusesOutsideTheRange() {
        assertThatThrownBy(() -> ControllableBackend.start("two words"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name: two words (expected:");
        assertThatThrownBy(() -> backend.traffic().status(99))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("status: 99 (expected: 200..599)");
    }
}
