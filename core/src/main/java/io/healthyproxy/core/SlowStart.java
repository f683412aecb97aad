package io.healthyproxy.core;

import io.healthyproxy.core.internal.Require;
import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One backend's slow start: after it joins a pool, or comes back (its circuit closed again, or its health
 * checks pass again), its share of traffic ramps from {@value #MIN_FACTOR} of its weight to all of it over the
 * window, so that a cold backend (empty caches, a JIT still warming up, a pool of connections still opening) is
 * not handed its full share at once. Envoy's slow start, with Envoy's defaults (linear, at least 10%);
 * HAProxy's {@code slowstart} and NGINX Plus's {@code slow_start} do the same. Off (factor 1) unless a window
 * is given.
 *
 * <p>Thread-safe. While no ramp is under way, {@link #factor()} is one volatile read; during one it reads the
 * ticker too, and the first call after the window clears it. A ramp is one immutable value swapped whole, so a
 * call ending an old ramp cannot erase a new one begun meanwhile.
 */
final class SlowStart {

    /** The share of its weight a backend gets as its ramp begins: Envoy's {@code min_weight_percent}, 10%. */
    static final double MIN_FACTOR = 0.1;

    private static final SlowStart OFF = new SlowStart(0, Ticker.system());

    private final long windowNanos;
    private final Ticker ticker;
    private final AtomicReference<Ramp> ramp = new AtomicReference<>();

    private SlowStart(long windowNanos, Ticker ticker) {
        this.windowNanos = windowNanos;
        this.ticker = ticker;
    }

    /** A slow start of {@code window} ({@link Duration#ZERO}: off), timed by {@code ticker}. */
    static SlowStart of(Duration window, Ticker ticker) {
        Require.notNegative("slowStart", window);
        return window.isZero() ? OFF : new SlowStart(window.toNanos(), ticker);
    }

    boolean enabled() {
        return windowNanos > 0;
    }

    /** Starts (or restarts) the ramp now. */
    void begin() {
        if (enabled()) {
            begin(ticker.read());
        }
    }

    /** Starts (or restarts) the ramp at {@code atNanos}, a reading of this slow start's ticker. */
    void begin(long atNanos) {
        if (enabled()) {
            ramp.set(new Ramp(atNanos));
        }
    }

    /** The share of its weight the backend gets now: {@code max(0.1, elapsed / window)}, 1 once the window is over. */
    double factor() {
        Ramp current = ramp.get();
        if (current == null) {
            return 1.0;
        }
        long elapsed = Math.max(0, ticker.read() - current.startedAt);
        if (elapsed >= windowNanos) {
            ramp.compareAndSet(current, null);
            return 1.0;
        }
        return Math.max(MIN_FACTOR, (double) elapsed / windowNanos);
    }

    private record Ramp(long startedAt) {
    }
}
