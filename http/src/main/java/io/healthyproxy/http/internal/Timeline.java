package io.healthyproxy.http.internal;

import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What happened to the backends lately: circuit transitions, health flips and ejections for slowness, kept in
 * a ring for {@code GET /timeline} and the dashboard. Bounded twice: at most {@link #capacity()} events (a new one
 * overwrites the oldest) and none older than {@link #maxAge()} is returned, so memory is bounded however long the
 * proxy runs and however much its backends flap.
 *
 * <p>Thread-safe. Implementation notes: events are rare (a few per backend per failure), so one lock guards the
 * ring; it is held only to store one reference or to copy the ring out, never while a listener or a renderer runs.
 * Nothing here is touched per request: only when a circuit, a health verdict or an ejection changes.
 */
final class Timeline {

    /** Enough for every backend of a large cluster to flap for a while; each event is a few hundred bytes. */
    static final int DEFAULT_CAPACITY = 512;
    /** Longer than the dashboard shows (5 minutes), so a page opened late still sees what led up to now. */
    static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(15);

    /** What changed. */
    enum Kind {
        /** A circuit breaker moved from one state to another. */
        CIRCUIT,
        /** The active-health verdict flipped (healthy ↔ unhealthy). */
        HEALTH,
        /** The backend was ejected for being far slower than its peers. */
        EJECTION;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One change.
     *
     * @param sequence  1 for the first event since the proxy started, then one more per event: a reader can tell
     *                  what it has seen
     * @param atNanos   the ticker reading when it happened
     * @param cluster   the backend's cluster
     * @param backend   the backend's name
     * @param kind      what changed
     * @param from      the state before, as on the wire ({@code closed}, {@code healthy}...); null for ejections
     * @param to        the state after ({@code open}, {@code unhealthy}, {@code ejected}...)
     * @param reason    why, as a stable code: a transition's name ({@code failure_threshold_reached}), or
     *                  {@code checks_failed} / {@code checks_passed}, or {@code slower_than_peers}
     * @param text      the same in words, as in the log line
     * @param lengthNanos how long the new state is meant to last (an opening or an ejection), 0 if not set
     */
    record Event(long sequence, long atNanos, String cluster, String backend, Kind kind, String from, String to,
            String reason, String text, long lengthNanos) {
    }

    private final Ticker ticker;
    private final long originNanos;
    private final long maxAgeNanos;
    /** Guarded by {@code this}: the ring and the count of events ever added (its next sequence minus one). */
    private final Event[] ring;
    private long added;

    Timeline(Ticker ticker) {
        this(ticker, DEFAULT_CAPACITY, DEFAULT_MAX_AGE);
    }

    Timeline(Ticker ticker, int capacity, Duration maxAge) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
        this.ring = new Event[capacity];
        this.maxAgeNanos = maxAge.toNanos();
        this.originNanos = ticker.read();
    }

    /** Adds an event that happened at {@code atNanos}, overwriting the oldest when full. */
    void add(long atNanos, String cluster, String backend, Kind kind, String from, String to, String reason,
            String text, long lengthNanos) {
        synchronized (this) {
            long sequence = ++added;
            ring[(int) ((sequence - 1) % ring.length)] = new Event(sequence, atNanos, cluster, backend, kind, from, to,
                    reason, text, lengthNanos);
        }
    }

    /** The events of the last {@link #maxAge()} still in the ring, oldest first. */
    List<Event> recent() {
        Event[] copy;
        long count;
        synchronized (this) {
            copy = ring.clone();
            count = added;
        }
        long now = ticker.read();
        List<Event> events = new ArrayList<>((int) Math.min(count, copy.length));
        for (long sequence = Math.max(1, count - copy.length + 1); sequence <= count; sequence++) {
            Event e = copy[(int) ((sequence - 1) % copy.length)];
            if (now - e.atNanos() <= maxAgeNanos) {
                events.add(e);
            }
        }
        return events;
    }

    /** The ticker reading when the timeline (and so the proxy) started: what {@code uptime} is counted from. */
    long originNanos() {
        return originNanos;
    }

    int capacity() {
        return ring.length;
    }

    Duration maxAge() {
        return Duration.ofNanos(maxAgeNanos);
    }
}
