package io.healthyproxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.ws.WebSocketEchoBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocket through the proxy, with real peers on both ends: the JDK's {@code java.net.http.WebSocket} client
 * and a Netty WebSocket server. After the backend's 101 the two connections are one tunnel, relayed byte for
 * byte both ways.
 */
@Timeout(60)
class WebSocketTunnelTest {

    private final List<WebSocketEchoBackend> backends = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpProxy proxy;

    private HttpProxy start(int count, UnaryOperator<ProxyConfig.Builder> tweak) throws InterruptedException {
        ProxyConfig.Builder config = ProxyHarness.fast();
        for (int i = 1; i <= count; i++) {
            WebSocketEchoBackend backend = WebSocketEchoBackend.start("b" + i);
            backends.add(backend);
            config.backend(new BackendConfig("b" + i, Endpoint.parse(backend.address())));
        }
        proxy = HttpProxy.start(tweak.apply(config).build());
        return proxy;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.stop(Duration.ZERO);
        }
        backends.forEach(WebSocketEchoBackend::close);
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + proxy.address().getPort() + "/ws");
    }

    /** Collects whole messages, text or binary, and the close. */
    private static final class Recorder implements WebSocket.Listener {
        final List<Object> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text = new StringBuilder();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary = new java.io.ByteArrayOutputStream();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }

        void awaitMessages(int count) throws InterruptedException {
            ProxyHarness.await(count + " messages", () -> messages.size() >= count);
        }
    }

    private WebSocket connect(Recorder recorder) throws Exception {
        return client.newWebSocketBuilder().buildAsync(ws(), recorder).get(10, TimeUnit.SECONDS);
    }

    @Test
    void messagesAreEchoedThroughTheProxy() throws Exception {
        start(1, b -> b);
        Recorder recorder = new Recorder();
        WebSocket socket = connect(recorder);

        socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
        socket.sendText("world", true).get(5, TimeUnit.SECONDS);
        recorder.awaitMessages(2);

        assertThat(recorder.messages).containsExactly("hello", "world");
        assertThat(proxy.activeRequests()).as("the tunnel is a request in flight").isOne();
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        ProxyHarness.await("the tunnel has ended", () -> proxy.activeRequests() == 0);
        assertThat(proxy.backends().find("b1").orElseThrow().succeeded()).isOne();
    }

    @Test
    void largeMessagesCrossWhole() throws Exception {
        start(1, b -> b);
        Recorder recorder = new Recorder();
        WebSocket socket = connect(recorder);
        byte[] big = new byte[4 << 20];
        new Random(1).nextBytes(big);

        socket.sendBinary(ByteBuffer.wrap(big), true).get(20, TimeUnit.SECONDS);
        recorder.awaitMessages(1);

        assertThat((byte[]) recorder.messages.get(0)).isEqualTo(big);
    }

    @Test
    void aBackendDyingMidTunnelClosesTheClientsSide() throws Exception {
        start(1, b -> b);
        Recorder recorder = new Recorder();
        WebSocket socket = connect(recorder);
        socket.sendText("ping", true).get(5, TimeUnit.SECONDS);
        recorder.awaitMessages(1);

        backends.get(0).kill();

        assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).as("the client sees the end").isNotNull();
        ProxyHarness.await("the tunnel has ended", () -> proxy.activeRequests() == 0);
    }

    @Test
    void manyTunnelsAtOnceEachGetTheirOwnEchoes() throws Exception {
        start(2, b -> b);
        List<Recorder> recorders = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Recorder r = new Recorder();
            recorders.add(r);
            sockets.add(connect(r));
        }
        for (int i = 0; i < sockets.size(); i++) {
            sockets.get(i).sendText("from " + i, true);
        }
        for (int i = 0; i < recorders.size(); i++) {
            recorders.get(i).awaitMessages(1);
            assertThat(recorders.get(i).messages).containsExactly("from " + i);
        }

        assertThat(proxy.activeRequests()).isEqualTo(50);
        assertThat(backends.get(0).upgrades() + backends.get(1).upgrades()).isEqualTo(50);
        assertThat(backends.get(0).upgrades()).as("balanced like any request").isBetween(15, 35);
        sockets.forEach(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, ""));
        ProxyHarness.await("every tunnel has ended", () -> proxy.activeRequests() == 0);
    }

    @Test
    void anUpgradeThatCannotReachItsBackendIsRetriedOnAnother() throws Exception {
        start(2, b -> ProxyHarness.withoutHealthChecks(b));
        backends.get(0).close();                    // b1 refuses connections from now on

        for (int i = 0; i < 4; i++) {
            Recorder recorder = new Recorder();
            WebSocket socket = connect(recorder);
            socket.sendText("hi", true);
            recorder.awaitMessages(1);
            socket.abort();
        }

        assertThat(backends.get(1).upgrades()).isEqualTo(4);
    }

    @Test
    void anIdleTunnelIsClosedAfterTheTunnelIdleTimeout() throws Exception {
        start(1, b -> b.timeouts(ProxyHarness.timeouts(Duration.ofMillis(500), Duration.ofSeconds(3)).toBuilder()
                .tunnelIdle(Duration.ofMillis(300)).build()));
        Recorder recorder = new Recorder();
        connect(recorder);

        assertThat(recorder.closed.get(10, TimeUnit.SECONDS)).isNotNull();
        ProxyHarness.await("the tunnel has ended", () -> proxy.activeRequests() == 0);
    }

    @Test
    void anH2cUpgradeIsNeverTunnelledTheBackendSeesAPlainRequest() throws Exception {
        start(1, b -> b);
        try (io.healthyproxy.testkit.RawConnection raw = io.healthyproxy.testkit.RawConnection.to(
                proxy.address().getPort())) {
            raw.sendRaw("GET /plain HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
            var response = raw.readResponse();
            assertThat(response.status()).isEqualTo(200);
        }
        String seen = backends.get(0).requestHeaders().stream().filter(h -> !h.contains("user-agent: healthy"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(seen).doesNotContain("upgrade").doesNotContain("http2-settings");
    }
}
