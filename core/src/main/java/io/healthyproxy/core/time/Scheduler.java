package io.healthyproxy.core.time;

import java.time.Duration;

/**
 * Runs tasks later. The core schedules health probes and timeouts through this interface and never starts
 * a thread of its own, so each face decides where tasks run: the node on its single event thread, the HTTP
 * proxy on a Netty event loop, tests and the simulator on a {@link VirtualTimeScheduler} in virtual time.
 *
 * <p>Implementations must be thread-safe: tasks may be scheduled from any thread.
 */
public interface Scheduler {

    /** Runs {@code task} once, after {@code delayNanos} (0 or less: as soon as possible). */
    Cancellable schedule(long delayNanos, Runnable task);

    /**
     * @param delay how long from now
     * @param task  what to run
     * @return a handle that cancels it
     */
    default Cancellable schedule(Duration delay, Runnable task) {
        return schedule(delay.toNanos(), task);
    }

    /** A scheduled task that can still be called off. */
    @FunctionalInterface
    interface Cancellable {

        /** Prevents the task from running if it has not started; harmless if it already ran. */
        void cancel();
    }
}
