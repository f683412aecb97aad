package io.healthyproxy.core.health;

import java.util.Objects;

/**
 * What one health check found.
 *
 * @param healthy whether the backend passed
 * @param detail  a short human-readable reason, e.g. {@code "200 OK"}, {@code "timed out after 1s"},
 *                {@code "connection refused"}
 */
public record ProbeResult(boolean healthy, String detail) {

    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * @param detail what the check saw, for status pages
     * @return a passing result
     */
    public static ProbeResult passed(String detail) {
        return new ProbeResult(true, detail);
    }

    /**
     * @param detail why it failed, for status pages
     * @return a failing result
     */
    public static ProbeResult failed(String detail) {
        return new ProbeResult(false, detail);
    }
}
