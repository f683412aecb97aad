package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.TlsConfig;
import io.healthyproxy.http.tls.TestCertificates;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS termination and HTTP/2 towards clients over real sockets, with the JDK's HttpClient and curl as the
 * clients and real HTTP/1.1 backends behind: h2 chosen by ALPN, HTTP/1.1 over TLS, h2c with prior knowledge,
 * an HTTP/1.1 {@code Upgrade: h2c} not honoured, many streams on one connection, a streamed upload.
 */
class Http2OverTlsTest {

    @TempDir
    static Path dir;
    static TestCertificates.Pair certificate;
    static ProxyHarness tls;
    static ProxyHarness plain;

    @BeforeAll
    static void start() throws InterruptedException {
        certificate = TestCertificates.generate(dir, "proxy", "localhost");
        // Generous per-try timeouts: 60 requests at once on a shared machine are about streams, not latency.
        tls = ProxyHarness.start(2, b -> b.tls(TlsConfig.of(certificate.certificate(), certificate.key()))
                .timeouts(ProxyHarness.timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))));
        plain = ProxyHarness.start(1);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        tls.close();
        plain.close();
    }

    private static URI https(String path) {
        return URI.create("https://127.0.0.1:" + tls.proxy.address().getPort() + path);
    }

    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).sslContext(certificate.trustingContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void anHttp2ClientOverTlsIsServedOverH2AndTheBackendIsToldHttps() throws Exception {
        HttpResponse<String> response = client(HttpClient.Version.HTTP_2)
                .send(HttpRequest.newBuilder(https("/hello?x=1")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isIn("b1", "b2");
        assertThat(response.headers().firstValue("x-seen-forwarded-proto")).contains("https");
        assertThat(response.headers().firstValue("x-seen-uri")).contains("/hello?x=1");
        assertThat(response.headers().firstValue("x-seen-host")).hasValueSatisfying(h -> h.startsWith("127.0.0.1:"));
    }

    @Test
    void anHttp11ClientOverTlsIsServedOverHttp11() throws Exception {
        HttpResponse<String> response = client(HttpClient.Version.HTTP_1_1)
                .send(HttpRequest.newBuilder(https("/")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-seen-forwarded-proto")).contains("https");
    }

    @Test
    void manyStreamsOnOneConnectionAreEachAnExchange() throws Exception {
        HttpClient client = client(HttpClient.Version.HTTP_2);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            responses.add(client.sendAsync(HttpRequest.newBuilder(https("/n/" + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<String> response = responses.get(i).get(15, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.headers().firstValue("x-seen-uri")).contains("/n/" + i);
        }
        assertThat(tls.backends.get(0).trafficRequests() + tls.backends.get(1).trafficRequests())
                .isGreaterThanOrEqualTo(60);
    }

    @Test
    void aLargeUploadOverH2IsStreamedToTheBackendWhole() throws Exception {
        byte[] body = "0123456789abcdef".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);   // 1 MiB

        HttpResponse<byte[]> response = client(HttpClient.Version.HTTP_2).send(HttpRequest.newBuilder(https("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void anHttp11UpgradeToH2cIsNotHonoured() throws Exception {
        // The JDK client asks for h2c by Upgrade on http:// URIs; the proxy answers over HTTP/1.1 and the
        // backend never sees the upgrade (h2c smuggling).
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()
                .send(HttpRequest.newBuilder(plain.uri("/")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(plain.backends.get(0).lastRequest().orElseThrow().header("upgrade")).isEmpty();
        assertThat(plain.backends.get(0).lastRequest().orElseThrow().header("http2-settings")).isEmpty();
    }

    @Test
    void curlSpeaksH2OverTlsAndH2cWithPriorKnowledge() throws Exception {
        assertThat(curl("--http2", "--cacert", certificate.certificate().toString(),
                "https://localhost:" + tls.proxy.address().getPort() + "/")).isEqualTo("2 200");
        assertThat(curl("--http2-prior-knowledge", plain.uri("/").toString())).isEqualTo("2 200");
        assertThat(curl("--http1.1", plain.uri("/").toString())).isEqualTo("1.1 200");
    }

    /** Runs curl and returns "{http_version} {status}". */
    static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "--max-time", "10",
                "--resolve", "localhost:" + tls.proxy.address().getPort() + ":127.0.0.1",
                "-w", "%{http_version} %{http_code}"));
        command.addAll(List.of(args));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
