package io.healthyproxy.core.time;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} on a {@link ScheduledExecutorService} (which the caller owns and shuts down): a JDK
 * executor, or a Netty event loop, which is one. Once the executor is shut down, tasks are dropped rather
 * than refused with an exception: whatever schedules them (a health check's next round) is shutting down too.
 *
 * <p>Note that the executor reads the system clock on its own; pair it with {@link Ticker#system()}.
 */
public final class ExecutorScheduler implements Scheduler {

    private final ScheduledExecutorService executor;

    /** @param executor where tasks run; shut down by its owner, not by this */
    public ExecutorScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        if (executor.isShutdown()) {
            return () -> { };
        }
        try {
            ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            return () -> { };
        }
    }
}
