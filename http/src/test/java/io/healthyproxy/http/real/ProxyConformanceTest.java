package io.healthyproxy.http.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.HttpProxy;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.Timeouts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/1.1 at the edges (RFC 9110, RFC 9112), through real sockets on both sides: a raw client that sends
 * exactly the bytes a test gives, and a {@link ScriptedBackend} that records exactly what reached it and
 * answers exactly as scripted. One test per rule; the RFC section is in the name.
 */
@Timeout(60)
class ProxyConformanceTest {

    private ScriptedBackend backend;
    private HttpProxy proxy;

    private void start(Function<String, String> script) throws InterruptedException {
        start(script, Timeouts.DEFAULTS);
    }

    private void start(Function<String, String> script, Timeouts timeouts) throws InterruptedException {
        backend = ScriptedBackend.start(script);
        HttpHealthCheck h = HttpHealthCheck.defaults();
        proxy = HttpProxy.start(ProxyConfig.builder().listen(new Endpoint("127.0.0.1", 0))
                .admin(new Endpoint("127.0.0.1", 0))
                .healthCheck(new HttpHealthCheck(false, h.method(), h.path(), h.expect(), h.schedule()))
                .timeouts(timeouts)
                .backend(new BackendConfig("b1", Endpoint.parse(backend.address()))).build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.stop(Duration.ZERO);
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** Sends {@code request}, optionally half-closes, and reads until the proxy closes: everything it sent. */
    private String exchange(String request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.address().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketException reset) {
                // what came before the reset is what counts
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void rfc9112_3_2_anHttp10RequestWithoutHostIsForwardedAsHttp11WithAHost() throws Exception {
        start(request -> ScriptedBackend.ok("fine"));

        String answer = exchange("GET /old HTTP/1.0\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 200 OK").endsWith("fine");
        String seen = backend.lastRequest();
        assertThat(seen).startsWith("GET /old HTTP/1.1\r\n");
        assertThat(seen.toLowerCase()).contains("\r\nhost: " + backend.address() + "\r\n");
    }

    @Test
    void rfc9110_7_2_anAbsoluteFormTargetSetsTheHostAndIsForwardedInOriginForm() throws Exception {
        start(request -> ScriptedBackend.ok("other"));

        String answer = exchange("GET http://other.example:8080/x?y=1 HTTP/1.1\r\nHost: app.example\r\n"
                + "Connection: close\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 200 OK");
        String seen = backend.lastRequest();
        assertThat(seen).startsWith("GET /x?y=1 HTTP/1.1\r\n");
        assertThat(seen.toLowerCase()).contains("\r\nhost: other.example:8080\r\n")
                .contains("\r\nx-forwarded-host: other.example:8080\r\n").doesNotContain("app.example");
    }

    @Test
    void rfc9112_3_2_aTargetIsForwardedByteForByteEvenWithBytesBeyondAscii() throws Exception {
        start(request -> ScriptedBackend.ok("found"));

        String answer = exchange("GET /caf\u00c3\u00a9.txt HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
                false);

        assertThat(answer).startsWith("HTTP/1.1 200 OK");
        assertThat(backend.lastRequest()).startsWith("GET /caf\u00c3\u00a9.txt HTTP/1.1\r\n");
    }

    @Test
    void rfc9112_3_2_aControlByteInTheTargetIs400AndReachesNoBackend() throws Exception {
        start(request -> ScriptedBackend.ok("never"));

        String answer = exchange("GET /a\u0000b HTTP/1.1\r\nHost: app.test\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request");
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void rfc9112_5_2_aFoldedHostIs400AndReachesNoBackend() throws Exception {
        start(request -> ScriptedBackend.ok("never"));

        String answer = exchange("GET / HTTP/1.1\r\nHost: x\r\n evil.example\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request");
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void rfc9112_6_1_aTransferCodingOtherThanChunkedIs501() throws Exception {
        start(request -> ScriptedBackend.ok("never"));

        String answer = exchange("POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "0\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 501 Not Implemented");
        assertThat(backend.requests()).isEmpty();
    }

    @Test
    void rfc9112_9_6_aClientThatHalfClosesAfterACompleteRequestStillGetsItsAnswer() throws Exception {
        start(request -> ScriptedBackend.ok("answered"));

        String answer = exchange("GET /x HTTP/1.1\r\nHost: app.test\r\n\r\n", true);

        assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("connection: close").endsWith("answered");
    }

    @Test
    void rfc9110_15_2_earlyHintsArePassedOnToAnHttp11ClientBeforeTheAnswer() throws Exception {
        start(request -> "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + ScriptedBackend.ok("page"));

        String answer = exchange("GET /page HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 103 Early Hints\r\n");
        assertThat(answer.toLowerCase()).contains("link: </style.css>; rel=preload");
        assertThat(answer).contains("\r\n\r\nHTTP/1.1 200 OK").endsWith("page");
    }

    @Test
    void rfc9110_15_2_noInterimResponseGoesToAnHttp10Client() throws Exception {
        start(request -> "HTTP/1.1 102 Processing\r\n\r\n" + ScriptedBackend.ok("done"));

        String answer = exchange("GET /slow HTTP/1.0\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 200 OK").doesNotContain("102 Processing").endsWith("done");
    }

    @Test
    void aBackendConnectionIsReusedCorrectlyAfterAnInterimResponse() throws Exception {
        start(request -> "HTTP/1.1 103 Early Hints\r\nLink: </a.js>; rel=preload\r\n\r\n"
                + ScriptedBackend.ok(request.startsWith("GET /one") ? "one" : "two"));

        String first = exchange("GET /one HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n", false);
        String second = exchange("GET /two HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n", false);

        assertThat(first).endsWith("one");
        assertThat(second).endsWith("two");
    }

    @Test
    void rfc9112_7_1_2_requestTrailersReachTheBackend() throws Exception {
        start(request -> ScriptedBackend.ok("got it"));

        String answer = exchange("POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n"
                + "Trailer: checksum\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\nchecksum: abc123\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 200 OK");
        String seen = backend.lastRequest().toLowerCase();
        assertThat(seen).contains("transfer-encoding: chunked").contains("trailer: checksum");
        assertThat(seen).contains("5\r\nhello\r\n0\r\nchecksum: abc123\r\n\r\n");
    }

    @Test
    void rfc9112_7_1_2_responseTrailersReachTheClient() throws Exception {
        start(request -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: grpc-status\r\n\r\n"
                + "4\r\nbody\r\n0\r\ngrpc-status: 0\r\n\r\n");

        String answer = exchange("GET /rpc HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n", false);

        assertThat(answer.toLowerCase()).startsWith("http/1.1 200 ok").contains("trailer: grpc-status")
                .contains("body").endsWith("0\r\ngrpc-status: 0\r\n\r\n");
    }

    @Test
    void rfc9110_15_5_9_aRequestBodyThatStopsArrivingGets408() throws Exception {
        start(request -> ScriptedBackend.ok("never"), Timeouts.builder().requestBodyIdle(Duration.ofMillis(300))
                .build());

        String answer = exchange("POST /form HTTP/1.1\r\nHost: app.test\r\nContent-Length: 10\r\n\r\nab", false);

        assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout").contains("\"error\":\"request_timeout\"");
        assertThat(backend.requests()).as("a request that never arrived whole reaches no backend").isEmpty();
    }

    @Test
    void rfc9110_15_5_9_aStreamedRequestBodyThatStopsArrivingGets408() throws Exception {
        start(request -> ScriptedBackend.ok("never"), Timeouts.builder().requestBodyIdle(Duration.ofMillis(300))
                .build());

        String answer = exchange("PUT /big HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1000000\r\n\r\nabc", false);

        assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout");
    }

    @Test
    void rfc9110_15_2_2_aSwitchingProtocolsNobodyAskedForIsABadGateway() throws Exception {
        start(request -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n");

        String answer = exchange("GET /x HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n", false);

        assertThat(answer).startsWith("HTTP/1.1 502 Bad Gateway").contains("backend_bad_response");
    }
}
