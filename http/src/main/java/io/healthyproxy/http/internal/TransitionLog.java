package io.healthyproxy.http.internal;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.Ejection;
import io.healthyproxy.core.SlowBackendDetector;
import io.healthyproxy.core.breaker.CircuitBreakerListener;
import io.healthyproxy.core.breaker.CircuitState;
import io.healthyproxy.core.breaker.TransitionEvent;
import io.healthyproxy.core.health.HealthListener;
import io.healthyproxy.core.health.HealthStatus;
import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.http.config.ProxyConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per circuit transition, per health flip and per ejection for slowness: backend, from, to, and why. Openings are
 * warnings; recoveries are info.
 */
final class TransitionLog implements CircuitBreakerListener, HealthListener, SlowBackendDetector.Listener {

    private static final Logger LOG = LoggerFactory.getLogger("healthyproxy.circuit");

    /** How each line names a backend: {@code backend b1}, or {@code backend api/b1} in a cluster but the default. */
    private final String prefix;

    TransitionLog(String cluster) {
        this.prefix = ProxyConfig.DEFAULT_CLUSTER.equals(cluster) ? "backend " : "backend " + cluster + "/";
    }

    @Override
    public void onTransition(TransitionEvent e) {
        String line = prefix + e.breaker() + ": circuit " + e.transition().describe()
                + (e.consecutiveFailures() > 0 && e.to() == CircuitState.OPEN
                        ? ", " + e.consecutiveFailures() + " consecutive failures" : "")
                + (e.openDuration().isZero() ? ""
                        : ", open for " + HumanDuration.format(Duration.ofMillis(e.openDuration().toMillis())));
        if (e.to() == CircuitState.OPEN) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
    }

    @Override
    public void onEjected(Backend backend, Ejection ejection) {
        LOG.warn(prefix + backend.id() + ": ejected for " + HumanDuration.format(ejection.length()) + ", "
                + ejection.reason());
    }

    @Override
    public void onHealthChange(String backend, HealthStatus status) {
        String detail = status.lastResult() == null ? "" : " (last check: " + status.lastResult().detail() + ")";
        if (status.healthy()) {
            LOG.info(prefix + backend + ": healthy again after " + status.consecutivePasses() + " passed checks" + detail);
        } else {
            LOG.warn(prefix + backend + ": unhealthy after " + status.consecutiveFailures() + " failed checks" + detail);
        }
    }
}
