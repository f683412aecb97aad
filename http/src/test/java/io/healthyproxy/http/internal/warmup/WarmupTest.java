package io.healthyproxy.http.internal.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthyproxy.http.HttpProxy;
import io.healthyproxy.http.WarmupResult;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.Http2Config;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.TlsConfig;
import io.healthyproxy.http.config.TlsEngine;
import io.healthyproxy.http.tls.TestCertificates;
import io.healthyproxy.http.tls.TestCertificates.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up before a proxy starts: its own proxy, backend and clients, all gone when it returns. */
class WarmupTest {

    @Test
    void evenAWarmUpOfNoLengthSendsTheWholeMixOnEveryConnectionAndTheProxyPassesEachAnswerOn() {
        WarmupResult result = HttpProxy.warmUp(Duration.ZERO);

        // Every kind of client, the POST, the chunked answer and the 404: each answered with the backend's status.
        assertThat(result.answered()).isEqualTo((long) WarmupLoad.CONNECTIONS * WarmupLoad.CYCLE);
        assertThat(result.ok()).isEqualTo(result.answered());
        assertThat(result.tlsHandshakes()).isZero();
        assertThat(result.answeredOverH2()).isZero();
    }

    @Test
    void forATlsListenerTheWarmUpShakesHandsForEveryConnectionWithTheListenersCertificate(@TempDir Path dir) {
        Pair pair = TestCertificates.generate(dir, "site", "site.test");
        // The real proxy's backend is never asked: the warm-up's proxy has backends of its own.
        ProxyConfig config = ProxyConfig.builder().backend(BackendConfig.of(new Endpoint("127.0.0.1", 9)))
                .tls(TlsConfig.of(pair.certificate(), pair.key())).build();

        WarmupResult result = HttpProxy.warmUp(Duration.ZERO, config);

        // Of no length, each phase sends the whole mix on every lane once: plain HTTP first, then TLS, one
        // connection per lane, so one full handshake each, and half of the lanes over h2, which the listener
        // offers by default.
        long onePhase = (long) WarmupLoad.CONNECTIONS * WarmupLoad.CYCLE;
        assertThat(result.answered()).isEqualTo(2 * onePhase);
        assertThat(result.ok()).isEqualTo(result.answered());
        assertThat(result.tlsHandshakes()).isEqualTo(WarmupLoad.CONNECTIONS);
        assertThat(result.answeredOverH2()).isEqualTo(onePhase / 2);
    }

    @Test
    void overTlsWithoutH2EveryLaneSpeaksHttp11(@TempDir Path dir) {
        Pair pair = TestCertificates.generate(dir, "site", "site.test");
        ProxyConfig config = ProxyConfig.builder().backend(BackendConfig.of(new Endpoint("127.0.0.1", 9)))
                .tls(TlsConfig.of(pair.certificate(), pair.key())).http2(Http2Config.OFF).build();

        WarmupResult result = HttpProxy.warmUp(Duration.ZERO, config);

        assertThat(result.ok()).isEqualTo(2L * WarmupLoad.CONNECTIONS * WarmupLoad.CYCLE);
        assertThat(result.tlsHandshakes()).isEqualTo(WarmupLoad.CONNECTIONS);
        assertThat(result.answeredOverH2()).isZero();
    }

    @Test
    void aTlsWarmUpRunsOnTheJdksTlsEngineToo(@TempDir Path dir) {
        Pair pair = TestCertificates.generate(dir, "site", "site.test");
        TlsConfig jdk = TlsConfig.of(pair.certificate(), pair.key()).withEngine(TlsEngine.JDK);

        WarmupResult result = Warmup.run(Duration.ZERO, Optional.of(jdk), Http2Config.DEFAULTS, () -> { });

        assertThat(result.tlsHandshakes()).isEqualTo(WarmupLoad.CONNECTIONS);
        assertThat(result.ok()).isEqualTo(2L * WarmupLoad.CONNECTIONS * WarmupLoad.CYCLE);
        assertThat(result.answeredOverH2()).isEqualTo(WarmupLoad.CONNECTIONS * WarmupLoad.CYCLE / 2);
    }

    @Test
    @Timeout(30)
    void anInterruptInTheFirstPhaseOfATlsWarmUpEndsItBeforeTheTlsPhase(@TempDir Path dir) {
        Pair pair = TestCertificates.generate(dir, "site", "site.test");
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        WarmupResult result = Warmup.run(Duration.ofMinutes(10), Optional.of(TlsConfig.of(pair.certificate(),
                pair.key())), Http2Config.DEFAULTS, () -> Thread.currentThread().interrupt());

        assertThat(Thread.interrupted()).isTrue();
        assertThat(result.tlsHandshakes()).isZero();
        assertNoThreadLeftSince(before);
    }

    @Test
    void aKeyTheListenerCannotUseFailsTheWarmUpAsStartingWouldAndLeavesNothingRunning(@TempDir Path dir)
            throws Exception {
        Pair pair = TestCertificates.generate(dir, "site", "site.test");
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "not a key\n");
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        assertThatThrownBy(() -> Warmup.run(Duration.ZERO,
                Optional.of(TlsConfig.of(pair.certificate(), notAKey)), Http2Config.DEFAULTS, () -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not-a-key.pem");
        assertNoThreadLeftSince(before);
    }

    @Test
    void everyThreadTheWarmUpStartedHasEndedWhenItReturns() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        HttpProxy.warmUp(Duration.ZERO);

        // Its proxy's event loops and its own were shut down and awaited.
        assertNoThreadLeftSince(before);
    }

    @Test
    @Timeout(30)
    void anInterruptCutsALongWarmUpShortAndStillStopsEverything() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        // Interrupted as its load starts, a warm-up of ten minutes returns (the test's timeout would fail it
        // otherwise), with the interrupt kept for the caller.
        WarmupResult result = Warmup.run(Duration.ofMinutes(10), Optional.empty(), Http2Config.DEFAULTS,
                () -> Thread.currentThread().interrupt());

        assertThat(Thread.interrupted()).isTrue();
        assertThat(result.answered()).isLessThan((long) WarmupLoad.CONNECTIONS * WarmupLoad.CYCLE);
        assertNoThreadLeftSince(before);
    }

    @Test
    @Timeout(30)
    void anInterruptBeforeItsProxyHasStartedStopsWhatHadStarted() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Thread.currentThread().interrupt();

        WarmupResult result = HttpProxy.warmUp(Duration.ofMinutes(10));

        assertThat(Thread.interrupted()).isTrue();
        assertThat(result.answered()).isZero();
        assertNoThreadLeftSince(before);
    }

    /**
     * No thread named like the proxy's, started since {@code before}, is still alive: a thread whose loop has
     * ended may still be returning from run(), so each is joined, with a bound; one still working after that
     * is a leak.
     */
    private static void assertNoThreadLeftSince(Set<Thread> before) {
        List<Thread> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .filter(t -> t.getName().startsWith("healthy-proxy")).toList();
        for (Thread t : started) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(started).noneMatch(Thread::isAlive);
    }
}
