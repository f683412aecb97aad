package io.healthyproxy.core.breaker;

import java.util.Locale;

/** The three states of a {@link CircuitBreaker}; the legal moves between them are listed in {@link Transition}. */
public enum CircuitState {
    /** Traffic flows; consecutive failures (and optionally the failure rate) are counted. */
    CLOSED,
    /** No traffic: callers fail fast or go elsewhere until the open duration has passed. */
    OPEN,
    /** A fixed number of trial calls are let through; every other caller is refused. */
    HALF_OPEN;

    /** The lower-case name used on the wire and in status output: {@code closed}, {@code open}, {@code half_open}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
