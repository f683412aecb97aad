package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.Limits;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.Timeouts;
import io.healthyproxy.http.internal.ProxyServer;
import io.healthyproxy.testkit.RawConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The proxy against clients that break the rules on purpose, over raw sockets: request smuggling, oversized
 * requests, slow senders, too many connections. Every refusal must reach the client (the proxy closes with a
 * lingering close, so that a reset cannot destroy the answer) and nothing of a refused request may reach a
 * backend.
 */
@Timeout(60)
class HostileClientTest {

    /** Short clocks, so that the timeouts can be seen to work without long waits. */
    private static final Timeouts SHORT = Timeouts.builder().connect(Duration.ofMillis(500))
            .perTry(Duration.ofMillis(500)).request(Duration.ofSeconds(3)).responseIdle(Duration.ofMillis(500))
            .clientIdle(Duration.ofMillis(400)).backendIdle(Duration.ofMillis(400)).requestHeader(Duration.ofMillis(300))
            .requestBodyIdle(Duration.ofMillis(400)).shutdownGrace(Duration.ofSeconds(3)).build();

    private static ProxyHarness proxy() throws InterruptedException {
        return ProxyHarness.start(1, b -> ProxyHarness.withoutHealthChecks(b).timeouts(SHORT));
    }

    // ---- request smuggling -----------------------------------------------------------------------------------

    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

    static Stream<Arguments> smugglingAttempts() {
        String post = "POST / HTTP/1.1\r\nHost: x\r\n";
        return Stream.of(
                Arguments.of("Content-Length and Transfer-Encoding",
                        post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("Transfer-Encoding and then Content-Length",
                        post + "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("two different Content-Lengths",
                        post + "Content-Length: 4\r\nContent-Length: 40\r\n\r\nbody" + SMUGGLED),
                Arguments.of("a Content-Length list", post + "Content-Length: 4, 40\r\n\r\nbody" + SMUGGLED),
                Arguments.of("the same Content-Length twice",
                        post + "Content-Length: 4\r\nContent-Length: 4\r\n\r\nbody" + SMUGGLED),
                Arguments.of("a signed Content-Length", post + "Content-Length: +4\r\n\r\nbody" + SMUGGLED),
                Arguments.of("Transfer-Encoding: xchunked",
                        post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("Transfer-Encoding: chunked, identity",
                        post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("Transfer-Encoding twice",
                        post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("a space before the colon",
                        post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("a vertical tab before chunked",
                        post + "Transfer-Encoding:\u000bchunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("Transfer-Encoding in HTTP/1.0",
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("a chunk size that is not hex",
                        post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("a negative chunk size",
                        post + "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("a chunk size beyond 64 bits",
                        post + "Transfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\nhello\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("chunk data longer than its size",
                        post + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n" + SMUGGLED),
                Arguments.of("a space inside a header name", post + "Content Length: 4\r\n\r\nbody" + SMUGGLED),
                Arguments.of("a NUL in a header value", post + "X-Test: a\u0000b\r\nContent-Length: 0\r\n\r\n" + SMUGGLED),
                Arguments.of("an HTTP/1.1 request without Host", "GET / HTTP/1.1\r\n\r\n" + SMUGGLED),
                Arguments.of("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + SMUGGLED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smugglingAttempts")
    void aSmugglingAttemptIs400AndClosesTheConnectionBeforeAnyBackendSeesIt(String name, String request)
            throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            RawConnection.Ending ending = client.sendRaw(request).readUntilEnd();

            assertThat(ending.received()).as(name).startsWith("HTTP/1.1 400 Bad Request");
            assertThat(ending.received()).contains("connection: close").contains("\"error\":\"bad_request\"");
            assertThat(responses(ending.received())).as("one answer: the smuggled request got none").isOne();
            assertThat(ending.reset()).as("closed cleanly, the answer intact").isFalse();
            assertThat(h.backend(1).trafficRequests()).as("requests that reached the backend").isZero();
        }
    }

    /**
     * RFC 9112 §5.2 lets a server either unfold obs-fold or refuse it with 400. We refuse, as NGINX does:
     * unfolding is where parsers in a chain disagree (one sees a fold, the next a new field line), and no
     * client has needed folding since RFC 7230 deprecated it in 2014.
     */
    @Test
    void aFoldedHeaderIs400BecauseRfc9112LetsAProxyRefuseObsFold() throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            RawConnection.Ending ending = client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\nX-Folded: one\r\n two\r\n\r\n")
                    .readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 400 ").contains("obs-fold");
            assertThat(h.backend(1).trafficRequests()).isZero();
        }
    }

    static Stream<Arguments> conformanceRefusals() {
        return Stream.of(
                Arguments.of("a bare LF ending a field line", "GET / HTTP/1.1\r\nHost: x\nX-A: b\r\n\r\n", 400),
                Arguments.of("a bare CR in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400),
                Arguments.of("a control byte in the target", "GET /a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("an invalid Host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
                Arguments.of("userinfo in Host", "GET / HTTP/1.1\r\nHost: user@x\r\n\r\n", 400),
                Arguments.of("HTTP/2.0 in a request line", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
                Arguments.of("a coding before chunked",
                        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceRefusals")
    void aRequestBreakingRfc9112GetsItsStatusAndNeverReachesABackend(String name, String request, int status)
            throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            RawConnection.Ending ending = client.sendRaw(request + SMUGGLED).readUntilEnd();

            assertThat(ending.received()).as(name).startsWith("HTTP/1.1 " + status + " ");
            assertThat(responses(ending.received())).as("one answer").isOne();
            assertThat(h.backend(1).trafficRequests()).isZero();
        }
    }

    // ---- limits -------------------------------------------------------------------------------------------------

    @Test
    void anOverlongRequestLineIs414() throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            String path = "/" + "a".repeat(Limits.DEFAULTS.maxRequestLine());

            RawConnection.Ending ending = client.sendRaw("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 414 ");
            assertThat(h.backend(1).trafficRequests()).isZero();
        }
    }

    @Test
    void headersOverTheSizeLimitAre431() throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            String big = "X-Big: " + "b".repeat(Limits.DEFAULTS.maxHeaderBytes()) + "\r\n";

            RawConnection.Ending ending = client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n" + big + "\r\n").readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 431 ");
            assertThat(h.backend(1).trafficRequests()).isZero();
        }
    }

    @Test
    void moreHeaderLinesThanTheLimitAre431() throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i <= Limits.DEFAULTS.maxHeaders(); i++) {
                many.append("X-H").append(i).append(": v\r\n");
            }

            RawConnection.Ending ending = client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n" + many + "\r\n").readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 431 ").contains("too_many_headers");
            assertThat(h.backend(1).trafficRequests()).isZero();
        }
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413BeforeAnyOfItIsRead() throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            long tooMuch = Limits.DEFAULTS.maxBodyBytes() + 1;

            // The client sends part of its body: the answer must survive the unread rest (lingering close).
            RawConnection.Ending ending = client.sendRaw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + tooMuch
                    + "\r\n\r\n" + "x".repeat(100_000)).readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 413 ").contains("body_too_large");
            assertThat(ending.reset()).isFalse();
            assertThat(h.backend(1).trafficRequests()).isZero();
        }
    }

    @Test
    void aChunkedBodyThatOutgrowsTheLimitIs413AndTheBackendsAttemptIsCalledOff() throws Exception {
        Limits small = new Limits(8192, 16384, 100, 100_000, 16_384, 65_536, 100);
        try (ProxyHarness h = ProxyHarness.start(1, b -> ProxyHarness.withoutHealthChecks(b).timeouts(SHORT)
                .limits(small)); RawConnection client = h.raw()) {
            h.backend(1).freeze();                      // reads the request, never answers
            String chunk = "c".repeat(10_000);
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 15; i++) {              // 150 KB, more than the 100 KB allowed
                body.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }

            RawConnection.Ending ending = client.sendRaw("POST /upload HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + body + "0\r\n\r\n").readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 413 ");
            ProxyHarness.await("the backend's connection is closed", () -> h.backend(1).openConnections() == 0);
            assertThat(h.core(1).breaker().snapshot().consecutiveFailures())
                    .as("the client's fault, not the backend's").isZero();
        }
    }

    @Test
    void aMalformedChunkInASmallChunkedBodyIs400AndTheBackendNeverSeesTheHead() throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            client.sendRaw("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            // The first chunk is in: the head has not gone anywhere, since the body is still being buffered.
            RawConnection.Ending ending = client.sendRaw("nothex\r\n").readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 400 ");
            assertThat(h.backend(1).trafficRequests()).isZero();
            assertThat(h.backend(1).acceptedConnections()).isZero();
        }
    }

    // ---- slow and idle clients -----------------------------------------------------------------------------------

    @Test
    void aRequestHeadThatDoesNotArriveInTimeIs408() throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            long started = System.nanoTime();
            client.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n");          // and the blank line never comes

            RawConnection.Ending ending = client.readUntilEnd();

            assertThat(ending.received()).startsWith("HTTP/1.1 408 ").contains("request_timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(SHORT.requestHeader());
            assertThat(h.backend(1).trafficRequests()).isZero();
        }
    }

    @Test
    void dribblingTheHeadOneByteAtATimeDoesNotExtendTheDeadline() throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            String head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(1000);
            long started = System.nanoTime();
            Thread dribbler = new Thread(() -> {
                try {
                    for (char c : head.toCharArray()) {
                        client.sendRaw(String.valueOf(c));
                        Thread.sleep(20);               // a slowloris: one byte every 20 ms
                    }
                } catch (Exception closedByTheProxy) {
                    // expected: the proxy gives up on it
                }
            });
            dribbler.setDaemon(true);
            dribbler.start();

            RawConnection.Ending ending = client.readUntilEnd();
            dribbler.interrupt();

            assertThat(ending.received()).startsWith("HTTP/1.1 408 ");
            long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertThat(tookMillis).as("the deadline counts from the first byte, not the last")
                    .isLessThan(20L * head.length());
            assertThat(h.backend(1).trafficRequests()).isZero();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            long asked = System.nanoTime();             // the idle clock starts after the answer, so later than this
            assertThat(client.sendGet("/").readResponse().status()).isEqualTo(200);

            RawConnection.Ending ending = client.readUntilEnd();

            assertThat(ending.received()).as("closed without a word").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(SHORT.clientIdle());
        }
    }

    @Test
    void aConnectionThatNeverSendsAnythingIsClosedAfterTheIdleTimeout() throws Exception {
        try (ProxyHarness h = proxy(); RawConnection client = h.raw()) {
            RawConnection.Ending ending = client.readUntilEnd();

            assertThat(ending.received()).isEmpty();
        }
    }

    @Test
    void idleBackendConnectionsAreClosedAfterTheBackendIdleTimeout() throws Exception {
        try (ProxyHarness h = proxy()) {
            assertThat(h.get("/").statusCode()).isEqualTo(200);
            assertThat(h.backend(1).openConnections()).isOne();

            ProxyHarness.await("the pooled connection is closed", () -> h.backend(1).openConnections() == 0);
        }
    }

    @Test
    void aClientThatStopsReadingAResponseIsDroppedAfterTheIdleTimeoutAndFreesTheBackend() throws Exception {
        Limits big = new Limits(8192, 16384, 100, 16L << 20, 65_536, 65_536, 100);
        try (ProxyHarness h = ProxyHarness.start(1, b -> ProxyHarness.withoutHealthChecks(b).timeouts(SHORT)
                .limits(big)); java.net.Socket client = new java.net.Socket()) {
            client.setReceiveBufferSize(4096);              // a small window, so the proxy feels it at once
            client.connect(h.proxy.address());
            byte[] body = new byte[12 << 20];
            java.util.Arrays.fill(body, (byte) 'x');
            var out = client.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            // ... and never reads the 12 MB echo.
            ProxyHarness.await("the echo is under way", () -> h.proxy.activeRequests() == 1
                    && h.backend(1).openConnections() == 1 && h.backend(1).requests("/echo") == 1);

            ProxyHarness.await("the proxy gave up on the client", () -> h.proxy.activeRequests() == 0);
            ProxyHarness.await("the backend connection is closed", () -> h.backend(1).openConnections() == 0);
            assertThat(h.core(1).breaker().snapshot().consecutiveFailures()).as("not the backend's fault").isZero();
        }
    }

    // ---- too many connections ------------------------------------------------------------------------------------

    @Test
    void connectionsBeyondTheLimitGet503AndTheRestAreServed() throws Exception {
        Limits three = new Limits(8192, 16384, 100, 1 << 20, 65536, 65536, 3);
        try (ProxyHarness h = ProxyHarness.start(1, b -> ProxyHarness.withoutHealthChecks(b).limits(three))) {
            List<RawConnection> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawConnection c = h.raw();
                    open.add(c);
                    assertThat(c.sendGet("/").readResponse().status()).isEqualTo(200);
                }
                try (RawConnection fourth = h.raw()) {
                    RawConnection.Ending refused = fourth.sendGet("/").readUntilEnd();
                    assertThat(refused.received()).startsWith("HTTP/1.1 503 ").contains("too_many_connections");
                }
                open.remove(0).close();
                ProxyHarness.await("a place is free", () -> h.proxy.clientConnections() < 3);
                try (RawConnection fifth = h.raw()) {
                    assertThat(fifth.sendGet("/").readResponse().status()).isEqualTo(200);
                }
                assertThat(open.get(0).sendGet("/").readResponse().status()).as("the others are untouched")
                        .isEqualTo(200);
            } finally {
                for (RawConnection c : open) {
                    c.close();
                }
            }
        }
    }

    // ---- the admin API off loopback ------------------------------------------------------------------------------

    @Test
    void anAdminApiBoundBeyondLoopbackRequiresTheTokenAndSaysSoAtStartUp() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(ProxyServer.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        String token = "a-long-enough-secret-token";
        try (ProxyHarness h = ProxyHarness.start(1, b -> ProxyHarness.withoutHealthChecks(b)
                .admin(new Endpoint("0.0.0.0", 0)).adminToken(token))) {
            URI status = URI.create("http://127.0.0.1:" + h.proxy.adminAddress().getPort() + "/status");
            URI healthz = URI.create("http://127.0.0.1:" + h.proxy.adminAddress().getPort() + "/healthz");

            int without = h.client.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            int wrong = h.client.send(HttpRequest.newBuilder(status).header("Authorization", "Bearer " + token + "x")
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            int with = h.client.send(HttpRequest.newBuilder(status).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            int liveness = h.client.send(HttpRequest.newBuilder(healthz).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();

            assertThat(List.of(without, wrong, with, liveness)).containsExactly(401, 401, 200, 200);
            assertThat(seen.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("reachable from other hosts").contains("Bearer"));
        } finally {
            log.detachAppender(seen);
        }
        ProxyConfig.Builder unguarded = ProxyHarness.fast().backend("127.0.0.1:1").admin(new Endpoint("0.0.0.0", 0));
        org.assertj.core.api.Assertions.assertThatThrownBy(unguarded::build)
                .hasMessageContaining("admin").hasMessageContaining("adminToken");
    }

    private static int responses(String received) {
        Matcher m = Pattern.compile("HTTP/1\\.1 \\d{3} ").matcher(received);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
