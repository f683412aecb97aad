package io.healthyproxy.core;

import io.healthyproxy.core.internal.Require;
import java.time.Duration;
import java.util.Objects;

/**
 * When a backend counts as slow: only relative to its peers, never by a fixed latency, so that load which
 * slows every backend alike ejects none (a busy system is not a broken one) while one frozen or much slower
 * backend is taken out of traffic within a few seconds. The same idea as Envoy's success-rate outlier
 * detection, applied to latency, and with a conservative yardstick.
 *
 * <p>Every {@code interval}, each backend with at least {@code minRequests} answers in the last one to two
 * {@code window}s is compared with the others: it is slow when its median is more than {@code factor} times,
 * and more than {@code minExcess} above, the median of the other backends' 90th percentiles. Comparing a median
 * with the peers' 90th percentile means a backend is ejected only when its <em>typical</em> request is slower
 * than nearly all of a typical peer's, which no mix of fast and slow endpoints spread over the backends
 * produces by chance. Requests that a hedge overtook or that timed out count at the time they had waited.
 *
 * <p>A slow backend is ejected for {@code baseEjection}, doubling (up to {@code maxEjection}) when it is
 * ejected again soon after coming back; at most {@code maxEjectedShare} of the backends (and at least one)
 * are out for slowness alone at a time (one ejected that also fails its checks, or whose circuit is open,
 * would be out anyway and does not count).
 *
 * @param enabled         judge at all (default true)
 * @param interval        how often backends are compared (default 500 ms)
 * @param window          the span of recent answers compared (default 1 s: the last one to two seconds)
 * @param minRequests     answers a backend needs in that span to be judged (default 20)
 * @param factor          how many times the peers' yardstick makes slow (default 3)
 * @param minExcess       and by at least this much (default 5 ms), so sub-millisecond noise never ejects
 * @param baseEjection    the first ejection's length (default 5 s)
 * @param maxEjection     the longest ejection (default 60 s)
 * @param maxEjectedShare at most this share of the backends ejected for slowness at once (default 0.34)
 */
public record SlownessConfig(boolean enabled, Duration interval, Duration window, int minRequests, double factor,
        Duration minExcess, Duration baseEjection, Duration maxEjection, double maxEjectedShare) {

    public static final SlownessConfig DEFAULTS = new SlownessConfig(true, Duration.ofMillis(500), Duration.ofSeconds(1),
            20, 3.0, Duration.ofMillis(5), Duration.ofSeconds(5), Duration.ofSeconds(60), 0.34);

    /** No backend is ever judged slow. */
    public static final SlownessConfig OFF = new SlownessConfig(false, DEFAULTS.interval, DEFAULTS.window,
            DEFAULTS.minRequests, DEFAULTS.factor, DEFAULTS.minExcess, DEFAULTS.baseEjection, DEFAULTS.maxEjection,
            DEFAULTS.maxEjectedShare);

    public SlownessConfig {
        Require.positive("slowness.interval", interval);
        Require.positive("slowness.window", window);
        Require.positive("slowness.minRequests", minRequests);
        Require.atLeast("slowness.factor", factor, 1.5);
        Require.notNegative("slowness.minExcess", Objects.requireNonNull(minExcess, "slowness.minExcess"));
        Require.positive("slowness.baseEjection", baseEjection);
        Require.positive("slowness.maxEjection", maxEjection);
        Require.inRange("slowness.maxEjectedShare", maxEjectedShare, 0.0, 1.0);
        if (maxEjection.compareTo(baseEjection) < 0) {
            throw Require.invalid("slowness.maxEjection", maxEjection, ">= slowness.baseEjection " + baseEjection);
        }
    }
}
