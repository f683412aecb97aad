package io.healthyproxy.http.internal;

import io.healthyproxy.core.time.Scheduler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The core's {@link Scheduler} on a Netty event executor: health checks run where their I/O does. */
public final class EventLoopScheduler implements Scheduler {

    private final EventExecutor executor;

    public EventLoopScheduler(EventExecutor executor) {
        this.executor = executor;
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        if (executor.isShuttingDown()) {
            return () -> { };
        }
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
