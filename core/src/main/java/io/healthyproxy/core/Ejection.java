package io.healthyproxy.core;

import java.time.Duration;

/**
 * A backend taken out of traffic for being much slower than its peers ({@link SlowBackendDetector}).
 *
 * @param reason     what was measured, for status pages and logs, e.g.
 *                   {@code "median 120ms against the peers' p90 of 2ms"}
 * @param untilNanos when it ends (a {@link io.healthyproxy.core.time.Ticker} reading)
 * @param length     how long it lasts
 */
public record Ejection(String reason, long untilNanos, Duration length) {
}
