package io.healthyproxy.http;

import io.healthyproxy.core.time.ExecutorScheduler;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.core.time.VirtualTimeScheduler;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The proxy's time: the {@link Ticker} every deadline is read from, and how tasks are scheduled on an event
 * loop in that ticker's time. {@link #system()} in production; {@link #virtual} in tests, where time moves
 * only when the test advances it, and a task due then runs on the loop it was scheduled for.
 *
 * <pre>{@code
 * VirtualTimeScheduler time = new VirtualTimeScheduler(new ManualTicker());
 * HttpProxy proxy = HttpProxy.start(config, ProxyClock.virtual(time));
 * time.runFor(Duration.ofSeconds(5));     // health checks, timeouts and open circuits move on, at once
 * }</pre>
 */
public interface ProxyClock {

    Ticker ticker();

    /** Schedules tasks on {@code loop}, in {@link #ticker()}'s time. */
    Scheduler scheduler(ScheduledExecutorService loop);

    /** The JVM's monotonic clock, with tasks scheduled on the loops themselves. */
    static ProxyClock system() {
        return new ProxyClock() {
            @Override
            public Ticker ticker() {
                return Ticker.system();
            }

            @Override
            public Scheduler scheduler(ScheduledExecutorService loop) {
                return new ExecutorScheduler(loop);
            }
        };
    }

    /**
     * Virtual time: tasks wait in {@code time} and run when it is advanced past their deadline, each on its own
     * loop (directly when the advancing thread is that loop, as with Netty's {@code EmbeddedChannel}).
     */
    static ProxyClock virtual(VirtualTimeScheduler time) {
        return new ProxyClock() {
            @Override
            public Ticker ticker() {
                return time.ticker();
            }

            @Override
            public Scheduler scheduler(ScheduledExecutorService loop) {
                return (delayNanos, task) -> time.schedule(delayNanos, () -> {
                    if (loop instanceof io.netty.util.concurrent.EventExecutor e && e.inEventLoop()) {
                        task.run();
                    } else if (!loop.isShutdown()) {
                        loop.execute(task);
                    }
                });
            }
        };
    }
}
