package io.healthyproxy.core.spi;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.health.ProbeResult;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Sends one health check to a backend: the transport's half of active health checking. The Maelstrom node
 * sends a {@code health_check} message; the HTTP proxy sends a request to the health path.
 */
@FunctionalInterface
public interface Prober {

    /**
     * Starts a check of {@code backend}. The stage completes with the result, or exceptionally (counted as a
     * failed check). {@link io.healthyproxy.core.ActiveHealthChecker} enforces {@code timeout} itself and ignores a late answer; it
     * is passed so that the transport can bound its own work too. If the stage is a
     * {@link java.util.concurrent.CompletableFuture}, it is cancelled on timeout.
     */
    CompletionStage<ProbeResult> probe(Backend backend, Duration timeout);
}
