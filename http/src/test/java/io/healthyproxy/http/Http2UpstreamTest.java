package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.UpstreamProtocol;
import io.healthyproxy.http.config.UpstreamTls;
import io.healthyproxy.http.h2.Http2Backend;
import io.healthyproxy.http.internal.tls.BackendTls;
import io.healthyproxy.http.tls.TestCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * HTTP/2 to backends over real sockets, with plain Netty HTTP/2 servers behind the proxy and HTTP/1.1 clients
 * in front: h2c and h2 over TLS (a test CA, verification and the host name checked), many requests sharing a
 * connection, {@code TE: trailers} passed on, a GOAWAY'd stream retried elsewhere even for a POST, and a slow
 * client pausing the backend's stream. Also HTTP/1.1 over TLS to a backend.
 */
class Http2UpstreamTest {

    @TempDir
    Path dir;
    private final List<Http2Backend> backends = new ArrayList<>();
    private HttpProxy proxy;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private void start(UpstreamProtocol protocol, UnaryOperator<ClusterConfig.Builder> tweak, Http2Backend... behind)
            throws InterruptedException {
        backends.addAll(List.of(behind));
        proxy = HttpProxy.start(config(protocol, tweak, behind));
    }

    private static ProxyConfig config(UpstreamProtocol protocol, UnaryOperator<ClusterConfig.Builder> tweak,
            Http2Backend... behind) {
        // Generous per-try timeouts: 40 requests at once on a shared machine are about streams, not latency.
        ProxyConfig.Builder config = ProxyHarness.withoutHealthChecks(ProxyHarness.fast())
                .timeouts(ProxyHarness.timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)));
        ClusterConfig.Builder cluster = config.clusterBuilder("h2").protocol(protocol);
        for (int i = 0; i < behind.length; i++) {
            cluster.backend(new BackendConfig("b" + (i + 1), Endpoint.parse(behind[i].address())));
        }
        return config.cluster(tweak.apply(cluster).build()).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.stop(Duration.ZERO);
        }
        backends.forEach(Http2Backend::close);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.address().getPort()
                + path)).timeout(ProxyHarness.PATIENCE);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anHttp11ClientIsServedByAnH2cBackendWithTeTrailersPassedOn() throws Exception {
        start(UpstreamProtocol.H2C, c -> c, Http2Backend.cleartext("b1"));

        HttpResponse<String> response = get("/hello?x=1", "TE", "trailers");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("b1");
        assertThat(response.headers().firstValue("x-seen-path")).contains("/hello?x=1");
        assertThat(response.headers().firstValue("x-seen-scheme")).contains("http");
        assertThat(response.headers().firstValue("x-seen-te")).contains("trailers");
        assertThat(response.headers().firstValue("x-seen-host")).hasValueSatisfying(h -> h.startsWith("127.0.0.1:"));
    }

    @Test
    void withoutTeFromTheClientNoneIsSent() throws Exception {
        start(UpstreamProtocol.H2C, c -> c, Http2Backend.cleartext("b1"));

        assertThat(get("/").headers().firstValue("x-seen-te")).contains("null");
    }

    @Test
    void concurrentRequestsShareOneConnectionPerEventLoop() throws Exception {
        Http2Backend backend = Http2Backend.cleartext("b1");
        start(UpstreamProtocol.H2C, c -> c, backend);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + proxy.address().getPort() + "/" + i)).timeout(ProxyHarness.PATIENCE).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            assertThat(a.get().statusCode()).isEqualTo(200);
        }
        assertThat(backend.requests()).hasSize(40);
        assertThat(backend.connections()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aStreamTheBackendRefusedWithGoAwayIsRetriedElsewhereEvenForAPost() throws Exception {
        Http2Backend refusing = Http2Backend.cleartext("b1");
        refusing.setMode(Http2Backend.Mode.GOAWAY);
        start(UpstreamProtocol.H2C, c -> c, refusing, Http2Backend.cleartext("b2"));

        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + proxy.address().getPort() + "/orders")).timeout(ProxyHarness.PATIENCE)
                    .POST(HttpRequest.BodyPublishers.ofString("order " + i)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("b2");
            assertThat(response.headers().firstValue("x-seen-body")).contains("order " + i);
        }
        assertThat(refusing.requests()).as("b1 was asked, and said it did not process them").isNotEmpty();
        assertThat(refusing.connections()).as("a new connection after each GOAWAY").isGreaterThan(1);
        assertThat(proxy.clusters().get("h2").find("b1").orElseThrow().breaker().state())
                .as("a refused stream is not the backend's fault").isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aStreamTheOnlyBackendRefusedWithGoAwayGoesBackToItOnANewConnection() throws Exception {
        Http2Backend backend = Http2Backend.cleartext("b1");
        start(UpstreamProtocol.H2C, c -> c, backend);
        assertThat(get("/warm").statusCode()).isEqualTo(200);
        backend.setMode(Http2Backend.Mode.GOAWAY_ONCE);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + proxy.address().getPort() + "/orders")).timeout(ProxyHarness.PATIENCE)
                .POST(HttpRequest.BodyPublishers.ofString("order")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-seen-body")).contains("order");
        assertThat(backend.connections()).as("the retry on a new connection").isEqualTo(2);
        assertThat(proxy.clusters().get("h2").find("b1").orElseThrow().breaker().snapshot().consecutiveFailures())
                .isZero();
    }

    @Test
    void withEveryH2cBackendDownTheClientGetsA502NamingEachTried() throws Exception {
        Http2Backend b1 = Http2Backend.cleartext("b1");
        Http2Backend b2 = Http2Backend.cleartext("b2");
        start(UpstreamProtocol.H2C, c -> c, b1, b2);
        assertThat(get("/").statusCode()).isEqualTo(200);
        b1.close();
        b2.close();

        HttpResponse<String> down = get("/orders");

        assertThat(down.statusCode()).as(down.body()).isEqualTo(502);
        assertThat(down.body()).contains("backend_unreachable").contains("b1").contains("b2");
        assertThat(get("/still").statusCode()).as("the proxy lives on").isEqualTo(502);
    }

    @Test
    void aReloadThatChangesTheProtocolSpeaksTheNewOneToTheSameBackend() throws Exception {
        Http2Backend backend = Http2Backend.cleartext("b1");
        start(UpstreamProtocol.HTTP1, c -> c, backend);
        assertThat(get("/").statusCode()).as("HTTP/1.1 to an h2c-only backend").isEqualTo(502);

        ReloadSummary summary = proxy.reload(config(UpstreamProtocol.H2C, c -> c, backend));

        assertThat(summary.clustersChanged()).containsExactly("h2");
        HttpResponse<String> response = get("/after-reload");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("b1");
    }

    @Test
    void aClientThatDoesNotReadPausesTheBackendStream() throws Exception {
        Http2Backend backend = Http2Backend.cleartext("b1");
        long size = 64L << 20;
        backend.setBigBody(size);
        start(UpstreamProtocol.H2C, c -> c, backend);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.address().getPort())) {
            socket.setReceiveBufferSize(64 * 1024);
            OutputStream out = socket.getOutputStream();
            out.write("GET /big HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // The client reads nothing: the backend must end up held by its stream's window, not send it all.
            awaitHeldBack(backend);
            long heldAt = backend.bodyBytesSent();
            assertThat(heldAt).as("bytes sent while the client read nothing").isLessThan(24L << 20);

            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long received = 0;
            while (received < size) {
                int n = in.read(buffer);
                assertThat(n).isPositive();
                received += n;
            }
            // The backend counts a frame when its write completes, on its own event loop: that can come after
            // the frame has crossed the proxy and reached this client (a clean-clone CI run saw 16,384 short).
            ProxyHarness.await("the backend counts the rest as sent once the client read",
                    () -> backend.bodyBytesSent() == size);
        }
    }

    /** Until the backend's stream has stayed stalled, with nothing more sent, for 50 looks in a row. */
    private static void awaitHeldBack(Http2Backend backend) throws InterruptedException {
        long[] last = {-1};
        int[] steady = {0};
        ProxyHarness.await("the backend is held back by flow control", () -> {
            long sent = backend.bodyBytesSent();
            steady[0] = backend.stalled() && sent == last[0] ? steady[0] + 1 : 0;
            last[0] = sent;
            return steady[0] >= 50 || sent == (64L << 20);
        });
    }

    @Test
    void h2OverTlsVerifiesTheBackendAgainstTheCaFile() throws Exception {
        TestCertificates.Pair certificate = TestCertificates.generate(dir, "backend", "backend.test");
        start(UpstreamProtocol.H2, c -> c.tls(UpstreamTls.DEFAULTS.withCaFile(certificate.certificate())),
                Http2Backend.tls("b1", certificate.certificate(), certificate.key()));

        HttpResponse<String> response = get("/secure");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("b1");
        assertThat(response.headers().firstValue("x-seen-scheme")).contains("https");
    }

    @Test
    void aServerNameTheCertificateDoesNotHaveFailsTheAttemptAndSaysSo() throws Exception {
        TestCertificates.Pair certificate = TestCertificates.generate(dir, "backend", "backend.test");
        ListAppender<ILoggingEvent> log = capture();
        start(UpstreamProtocol.H2, c -> c.tls(UpstreamTls.DEFAULTS.withCaFile(certificate.certificate())
                .withServerName("other.test")), Http2Backend.tls("b1", certificate.certificate(), certificate.key()));

        assertThat(get("/").statusCode()).isEqualTo(502);
        ProxyHarness.await("a log line about the handshake", () -> log.list.stream().anyMatch(e ->
                e.getFormattedMessage().contains("TLS to backend b1") && e.getFormattedMessage().contains("other.test")));
    }

    @Test
    void aBackendWhoseCertificateIsNotFromTheTrustedCaIsNotConnectedTo() throws Exception {
        TestCertificates.Pair certificate = TestCertificates.generate(dir, "backend", "backend.test");
        TestCertificates.Pair otherCa = TestCertificates.generate(dir, "other-ca", "ca.test");
        ListAppender<ILoggingEvent> log = capture();
        start(UpstreamProtocol.H2, c -> c.tls(UpstreamTls.DEFAULTS.withCaFile(otherCa.certificate())),
                Http2Backend.tls("b1", certificate.certificate(), certificate.key()));

        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("backend_unreachable");
        ProxyHarness.await("a log line naming what was trusted", () -> log.list.stream().anyMatch(e ->
                e.getFormattedMessage().contains("TLS to backend b1")
                        && e.getFormattedMessage().contains("trusting " + otherCa.certificate())));
    }

    @Test
    void http1OverTlsReachesAnHttpsBackend() throws Exception {
        TestCertificates.Pair certificate = TestCertificates.generate(dir, "backend", "backend.test");
        start(UpstreamProtocol.HTTP1, c -> c.tls(UpstreamTls.DEFAULTS.withCaFile(certificate.certificate())
                .withServerName("backend.test")), Http2Backend.http1OverTls("b1", certificate.certificate(), certificate.key()));

        HttpResponse<String> response = get("/over-tls");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("b1");
        assertThat(response.headers().firstValue("x-seen-path")).contains("/over-tls");
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(BackendTls.class)).addAppender(appender);
        return appender;
    }
}
