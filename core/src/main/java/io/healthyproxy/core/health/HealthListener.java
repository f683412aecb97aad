package io.healthyproxy.core.health;

/**
 * Told when a {@link HealthTracker}'s verdict flips between healthy and unhealthy. Called by the thread that
 * recorded the deciding check, outside any lock; exceptions are logged and contained.
 */
@FunctionalInterface
public interface HealthListener {

    /**
     * Called when a backend's verdict flips.
     *
     * @param name   the tracker's name (its backend's id)
     * @param status the new verdict and the checks behind it
     */
    void onHealthChange(String name, HealthStatus status);
}
