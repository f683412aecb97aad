package io.healthyproxy.core;

import io.healthyproxy.core.breaker.CircuitBreaker;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.internal.BreakerAccess;
import io.healthyproxy.core.spi.Prober;
import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * Checks backends periodically through a {@link Prober} and feeds every result to both the backend's
 * {@link io.healthyproxy.core.health.HealthTracker} (rise/fall) and its {@link CircuitBreaker}.
 *
 * <h2>Schedule</h2>
 * The first check of a backend starts at a random point within the first interval; each next one starts an
 * interval after the previous one finished (never two at once for one backend), the interval moved by the
 * configured jitter, and shorter while the backend is unhealthy. A check not answered within the timeout
 * counts as failed and its late answer is ignored, so a hung probe cannot stall the schedule.
 *
 * <h2>Probes and the breaker</h2>
 * While the circuit is closed, a probe counts like a real call: failures add up (so a backend that is down
 * opens its circuit even with no traffic) and a success resets the count. While the circuit is open, probes
 * still go out but inform only the health tracker. While it is half-open, a failed probe re-opens it, and a
 * passing one is ignored: a probe can take traffic away, never give it back. Only a real request can be the
 * half-open trial, because a health path that answers says
 * little about paths that fail (a backend answering 500 on {@code /} with {@code /health} at 200 would
 * otherwise be let back in by every probe, and cost real requests each time).
 *
 * <p>Each backend's {@link io.healthyproxy.core.health.HealthTracker} is told the schedule (a check in
 * flight, or when the next is due), so that its status can say when the next check comes.
 *
 * <p>Thread-safe; runs all its work on the given {@link Scheduler} and on the prober's completion threads.
 */
public final class ActiveHealthChecker implements AutoCloseable {

    /** The failure kind a failed check is reported to the breaker with ({@link CircuitBreaker#onFailure(long, String)}). */
    public static final String CHECK_FAILED = "health_check_failed";

    private static final BreakerAccess BREAKERS = BreakerAccess.get();

    private final HealthCheckConfig config;
    private final Prober prober;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final RandomGenerator random;
    private final Map<Backend, Loop> loops = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Checks with {@code prober} on {@code scheduler}, in {@code ticker}'s time; nothing runs until {@link #watch}. */
    public ActiveHealthChecker(HealthCheckConfig config, Prober prober, Scheduler scheduler, Ticker ticker,
            RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.prober = Objects.requireNonNull(prober, "prober");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Starts checking {@code backend}; a backend already watched is left as it is. */
    public void watch(Backend backend) {
        if (closed) {
            throw new IllegalStateException("health checker is closed");
        }
        loops.computeIfAbsent(backend, b -> {
            Loop loop = new Loop(b);
            loop.scheduleNext(Jitter.upTo(config.interval().toNanos(), random));
            return loop;
        });
    }

    /** Stops checking {@code backend}; a check under way finishes but is not followed by another. */
    public void unwatch(Backend backend) {
        Loop loop = loops.remove(backend);
        if (loop != null) {
            loop.stop();
        }
    }

    /** Stops every check. */
    @Override
    public void close() {
        closed = true;
        loops.values().forEach(Loop::stop);
        loops.clear();
    }

    /** The checks of one backend: one at a time, each scheduling the next when it settles. */
    private final class Loop {
        private final Backend backend;
        private volatile boolean stopped;
        private volatile Scheduler.Cancellable pending;

        Loop(Backend backend) {
            this.backend = backend;
        }

        void scheduleNext(long delayNanos) {
            if (!stopped) {
                backend.health().checkScheduled(ticker.read() + delayNanos);
                pending = scheduler.schedule(delayNanos, this::check);
            }
        }

        void stop() {
            stopped = true;
            Scheduler.Cancellable p = pending;
            if (p != null) {
                p.cancel();
            }
        }

        private void check() {
            if (stopped) {
                return;
            }
            backend.health().checkStarted();
            Attempt attempt = new Attempt(this, BREAKERS.tryAcquireProbe(backend.breaker()), ticker.read());
            CompletionStage<ProbeResult> stage;
            try {
                stage = prober.probe(backend, config.timeout());
            } catch (RuntimeException e) {
                attempt.settle(ProbeResult.failed("probe could not start: " + e));
                return;
            }
            attempt.timeout = scheduler.schedule(config.timeout(), () -> {
                if (attempt.settle(ProbeResult.failed("timed out after " + HumanDuration.format(config.timeout())))
                        && stage instanceof CompletableFuture<ProbeResult> future) {
                    future.cancel(false);
                }
            });
            stage.whenComplete((result, error) -> attempt.settle(error != null
                    ? ProbeResult.failed(describe(error))
                    : Objects.requireNonNullElse(result, ProbeResult.failed("prober returned no result"))));
        }

        private long nextDelay() {
            long base = (backend.health().isHealthy() ? config.interval() : config.unhealthyInterval()).toNanos();
            return Jitter.spread(base, config.jitter(), random);
        }
    }

    /** One check: settled exactly once, by its result or by its timeout, whichever comes first. */
    private final class Attempt {
        private final Loop loop;
        private final long permit;
        private final long startedAt;
        private final AtomicBoolean settled = new AtomicBoolean();
        volatile Scheduler.Cancellable timeout;

        Attempt(Loop loop, long permit, long startedAt) {
            this.loop = loop;
            this.permit = permit;
            this.startedAt = startedAt;
        }

        boolean settle(ProbeResult result) {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            Scheduler.Cancellable t = timeout;
            if (t != null) {
                t.cancel();
            }
            Backend backend = loop.backend;
            if (loop.stopped) {
                // The checker was closed mid-check (shutting down): the answer, or its absence, says nothing.
                if (permit != CircuitBreaker.DENIED) {
                    backend.breaker().release(permit);
                }
                return true;
            }
            long now = ticker.read();
            backend.health().record(result, now - startedAt, now);
            if (permit != CircuitBreaker.DENIED) {
                if (result.healthy()) {
                    backend.breaker().onSuccess(permit);
                } else {
                    backend.breaker().onFailure(permit, CHECK_FAILED);
                }
            }
            loop.scheduleNext(loop.nextDelay());
            return true;
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
