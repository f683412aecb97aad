package io.healthyproxy.http.internal;

import io.healthyproxy.core.stats.RecentLatencies;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.config.Hedging;
import java.time.Duration;

/**
 * How long to wait for an answer before hedging: the core's {@link io.healthyproxy.core.retry.HedgeDelay} (shared
 * with the client library), set from the proxy's {@code hedging} config. A fixed delay if configured, else the
 * 99th percentile of recent answer times, never below {@code minDelay} and never beyond the per-try timeout.
 */
final class HedgeDelay {

    /** Samples needed before the percentile is trusted. */
    static final int MIN_SAMPLES = io.healthyproxy.core.retry.HedgeDelay.MIN_SAMPLES;
    static final long REFRESH_NANOS = io.healthyproxy.core.retry.HedgeDelay.REFRESH_NANOS;

    private final io.healthyproxy.core.retry.HedgeDelay delay;

    HedgeDelay(Hedging hedging, RecentLatencies latencies, Duration perTry, Ticker ticker) {
        this.delay = new io.healthyproxy.core.retry.HedgeDelay(hedging.delay().orElse(null), hedging.minDelay(), perTry,
                latencies, ticker);
    }

    /** Records how long a backend took to answer (response head), for the adaptive delay. */
    void record(long nanos) {
        delay.record(nanos);
    }

    long delayNanos() {
        return delay.delayNanos();
    }
}
