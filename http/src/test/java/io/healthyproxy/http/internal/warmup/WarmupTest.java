package io.healthyproxy.http.internal.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.http.HttpProxy;
import io.healthyproxy.http.WarmupResult;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The warm-up before a proxy starts: its own proxy, backend and clients, all gone when it returns. */
class WarmupTest {

    @Test
    void evenAWarmUpOfNoLengthSendsTheWholeMixOnEveryConnectionAndTheProxyPassesEachAnswerOn() throws Exception {
        WarmupResult result = HttpProxy.warmUp(Duration.ZERO);

        // Every kind of client, the POST, the chunked answer and the 404: each answered with the backend's status.
        assertThat(result.answered()).isEqualTo((long) WarmupLoad.CONNECTIONS * WarmupLoad.CYCLE);
        assertThat(result.ok()).isEqualTo(result.answered());
    }

    @Test
    void everyThreadTheWarmUpStartedHasEndedWhenItReturns() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        HttpProxy.warmUp(Duration.ZERO);

        // Its proxy's event loops and its own were shut down and awaited; a thread whose loop has ended may still
        // be returning from run(), so each is joined, with a bound: one still working after that is a leak.
        List<Thread> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .filter(t -> t.getName().startsWith("healthy-proxy")).toList();
        for (Thread t : started) {
            t.join(5_000);
        }
        assertThat(started).noneMatch(Thread::isAlive);
    }
}
