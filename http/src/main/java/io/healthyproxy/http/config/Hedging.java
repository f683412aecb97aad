package io.healthyproxy.http.config;

import io.healthyproxy.core.internal.Require;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Hedged requests: when an idempotent request has had no answer after a delay, a second copy goes to another
 * backend and the first answer wins; the loser is cancelled. Losing a hedge does not count against the
 * loser's circuit breaker (a busy backend loses hedges too, and busy is not broken); its wait is recorded as
 * an answer time, so a backend that keeps losing is judged slower than its peers and ejected for that
 * ({@code slowness}). This is what keeps a frozen backend from costing clients more than the delay. Hedges
 * share the retry budget.
 *
 * @param enabled  whether to hedge at all (default true)
 * @param delay    a fixed delay, or empty for adaptive: the 99th percentile of recent answer times
 * @param minDelay the adaptive delay never goes below this (default 20 ms), so fast backends are not doubled
 *                 by noise
 */
public record Hedging(boolean enabled, Optional<Duration> delay, Duration minDelay) {

    public static final Hedging DEFAULTS = new Hedging(true, Optional.empty(), Duration.ofMillis(20));
    public static final Hedging OFF = new Hedging(false, Optional.empty(), Duration.ofMillis(20));

    public Hedging {
        Objects.requireNonNull(delay, "delay");
        delay.ifPresent(d -> Require.positive("retries.hedging.delay", d));
        Require.positive("retries.hedging.minDelay", minDelay);
    }
}
