package io.healthyproxy.http.internal;

/**
 * A wake-up call on the request path: whoever holds it asks to be woken by a deadline, and is then woken
 * through its owner's {@code onTimer(now)}. One connection's exchange and attempts share the connection's one
 * timer through this (see {@link io.healthyproxy.core.time.DeadlineTimer}): a wake-up may come early, never
 * late, and a deadline that stops mattering needs no cancelling.
 */
@FunctionalInterface
interface Alarm {

    /** Makes sure the owner's timer fires at or before {@code deadline} (a ticker reading). */
    void wakeBy(long deadline);
}
