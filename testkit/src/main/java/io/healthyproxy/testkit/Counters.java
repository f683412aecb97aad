package io.healthyproxy.testkit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What a {@link ControllableBackend} has received, counted by its event loop and read by tests, who may also wait for a
 * count to be reached.
 *
 * <p>Implementation notes: counts are atomics, so reading them never blocks the event loop. Every change is then
 * signalled on {@code changed}, whose monitor guards nothing but the waiting itself: a waiter re-checks its
 * condition under the monitor before each wait, so a change signalled in between cannot be missed.
 */
final class Counters {

    private final AtomicLong trafficRequests = new AtomicLong();
    private final AtomicLong healthRequests = new AtomicLong();
    private final AtomicLong requestsWhileFrozen = new AtomicLong();
    private final Map<String, AtomicLong> requestsByPath = new ConcurrentHashMap<>();
    private final AtomicLong acceptedConnections = new AtomicLong();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Object changed = new Object();

    void onRequest(String path, boolean isHealthCheck, boolean frozen) {
        (isHealthCheck ? healthRequests : trafficRequests).incrementAndGet();
        requestsByPath.computeIfAbsent(path, any -> new AtomicLong()).incrementAndGet();
        if (frozen) {
            requestsWhileFrozen.incrementAndGet();
        }
        signal();
    }

    void onConnectionOpened() {
        acceptedConnections.incrementAndGet();
        openConnections.incrementAndGet();
        signal();
    }

    void onConnectionClosed() {
        openConnections.decrementAndGet();
        signal();
    }

    long trafficRequests() {
        return trafficRequests.get();
    }

    long healthRequests() {
        return healthRequests.get();
    }

    long requests(String path) {
        AtomicLong count = requestsByPath.get(path);
        return count == null ? 0 : count.get();
    }

    long requestsWhileFrozen() {
        return requestsWhileFrozen.get();
    }

    long acceptedConnections() {
        return acceptedConnections.get();
    }

    int openConnections() {
        return openConnections.get();
    }

    /** Zeroes every count but {@link #openConnections()}, which counts what is open, not what happened. */
    void reset() {
        trafficRequests.set(0);
        healthRequests.set(0);
        requestsWhileFrozen.set(0);
        requestsByPath.clear();
        acceptedConnections.set(0);
        signal();
    }

    /**
     * Blocks until {@code condition} holds or {@code timeout} has passed, re-checking after every change.
     *
     * @return whether the condition held; false also if the thread was interrupted (its flag is then set again)
     */
    boolean await(BooleanSupplier condition, Duration timeout) {
        // Real time on purpose: this waits for another thread's I/O, with a deadline instead of a sleep.
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(changed, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void signal() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }
}
