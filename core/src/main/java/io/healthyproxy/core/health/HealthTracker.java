package io.healthyproxy.core.health;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rise/fall verdict of active health checks for one backend: {@code unhealthyThreshold} failed checks in
 * a row make a healthy backend unhealthy, {@code healthyThreshold} passed checks in a row make it healthy
 * again. A single odd result never flips the verdict (unless a threshold is 1).
 *
 * <p>Thread-safe: the status is one immutable value swapped by compare-and-set, so {@link #isHealthy()} is a
 * plain volatile read on the routing path.
 */
public final class HealthTracker {

    private static final System.Logger LOG = System.getLogger(HealthTracker.class.getName());

    private final String name;
    private final HealthCheckConfig config;
    private final AtomicReference<HealthStatus> status;
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param name   names it in events, usually after its backend
     * @param config its thresholds and whether it starts healthy
     */
    public HealthTracker(String name, HealthCheckConfig config) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.status = new AtomicReference<>(HealthStatus.initial(config.startHealthy()));
    }

    /** @return the name it was given */
    public String name() {
        return name;
    }

    /** @return its thresholds */
    public HealthCheckConfig config() {
        return config;
    }

    /** @return the current verdict */
    public boolean isHealthy() {
        return status.get().healthy();
    }

    /** @return the verdict and the checks behind it */
    public HealthStatus status() {
        return status.get();
    }

    /** @param listener told of every later flip of the verdict */
    public void addListener(HealthListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** A check was sent: until it settles, no next check is scheduled ({@link HealthStatus#checkInFlight()}). */
    public void checkStarted() {
        status.updateAndGet(s -> s.withSchedule(true, OptionalLong.empty()));
    }

    /** The next check is due at {@code atNanos} (a ticker reading): what status pages show as "next check in". */
    public void checkScheduled(long atNanos) {
        status.updateAndGet(s -> s.withSchedule(false, OptionalLong.of(atNanos)));
    }

    /**
     * Records one completed check.
     *
     * @param latencyNanos how long the check took
     * @param atNanos      the ticker reading when it completed
     * @return whether this check flipped the verdict
     */
    public boolean record(ProbeResult result, long latencyNanos, long atNanos) {
        HealthStatus before;
        HealthStatus after;
        do {
            before = status.get();
            int passes = result.healthy() ? before.consecutivePasses() + 1 : 0;
            int failures = result.healthy() ? 0 : before.consecutiveFailures() + 1;
            boolean healthy = before.healthy()
                    ? failures < config.unhealthyThreshold()
                    : passes >= config.healthyThreshold();
            after = new HealthStatus(healthy, passes, failures, before.checks() + 1, result, latencyNanos, atNanos,
                    false, before.nextCheckAtNanos());
        } while (!status.compareAndSet(before, after));
        boolean flipped = before.healthy() != after.healthy();
        if (flipped) {
            for (HealthListener listener : listeners) {
                try {
                    listener.onHealthChange(name, after);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "health listener of " + name + " threw; ignored", e);
                }
            }
        }
        return flipped;
    }
}
