package io.healthyproxy.http.internal.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.HttpProxy;
import io.healthyproxy.http.WarmupResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The warm-up before a proxy starts: its own proxy, backend and clients, all gone when it returns. */
class WarmupTest {

    @Test
    void evenAWarmUpOfNoLengthSendsTheWholeMixOnEveryConnectionAndTheProxyPassesEachAnswerOn() {
        WarmupResult result = HttpProxy.warmUp(Duration.ZERO);

        // Every kind of client, the POST, the chunked answer and the 404: each answered with the backend's status.
        assertThat(result.answered()).isEqualTo((long) WarmupLoad.CONNECTIONS * WarmupLoad.CYCLE);
        assertThat(result.ok()).isEqualTo(result.answered());
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
        WarmupResult result = Warmup.run(Duration.ofMinutes(10), () -> Thread.currentThread().interrupt());

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
