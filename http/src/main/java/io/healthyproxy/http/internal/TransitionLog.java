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
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.config.ProxyConfig;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line and one {@link Timeline} event per circuit transition, per health flip and per ejection for
 * slowness, for the backends of one cluster: backend, from, to, and why, in the same words in both. Openings,
 * failing checks and ejections are warnings; recoveries are info. Called on whichever thread made the change;
 * thread-safe.
 */
final class TransitionLog implements CircuitBreakerListener, HealthListener, SlowBackendDetector.Listener {

    private static final Logger LOG = LoggerFactory.getLogger("healthyproxy.circuit");

    private final String cluster;
    private final Timeline timeline;
    private final Ticker ticker;
    /** How each line names a backend: {@code backend b1}, or {@code backend api/b1} in a cluster but the default. */
    private final String prefix;

    TransitionLog(String cluster, Timeline timeline, Ticker ticker) {
        this.cluster = cluster;
        this.timeline = timeline;
        this.ticker = ticker;
        this.prefix = ProxyConfig.DEFAULT_CLUSTER.equals(cluster) ? "backend " : "backend " + cluster + "/";
    }

    @Override
    public void onTransition(TransitionEvent e) {
        String text = "circuit " + e.transition().describe()
                + (e.consecutiveFailures() > 0 && e.to() == CircuitState.OPEN
                        ? ", " + e.consecutiveFailures() + " consecutive failures"
                                + (e.failureKinds().isEmpty() ? "" : " (" + BackendReason.kinds(e.failureKinds()) + ")")
                        : "")
                + (e.openDuration().isZero() ? ""
                        : ", open for " + HumanDuration.format(Duration.ofMillis(e.openDuration().toMillis())));
        String reason = e.transition().name().toLowerCase(Locale.ROOT);
        timeline.add(e.atNanos(), cluster, e.breaker(), Timeline.Kind.CIRCUIT, e.from().label(), e.to().label(),
                reason, text, e.openDuration().toNanos());
        log(e.to() == CircuitState.OPEN ? LOG.atWarn() : LOG.atInfo(), e.breaker(), "circuit", e.from().label(),
                e.to().label(), reason, text);
    }

    @Override
    public void onEjected(Backend backend, Ejection ejection) {
        String text = "ejected for " + HumanDuration.format(ejection.length()) + ", " + ejection.reason();
        timeline.add(ticker.read(), cluster, backend.id(), Timeline.Kind.EJECTION, null, "ejected", "slower_than_peers",
                text, ejection.length().toNanos());
        log(LOG.atWarn(), backend.id(), "ejection", null, "ejected", "slower_than_peers", text);
    }

    @Override
    public void onHealthChange(String backend, HealthStatus status) {
        String detail = status.lastResult() == null ? "" : " (last check: " + status.lastResult().detail() + ")";
        String text = status.healthy()
                ? "healthy again after " + status.consecutivePasses() + " passed checks" + detail
                : "unhealthy after " + status.consecutiveFailures() + " failed checks" + detail;
        String from = status.healthy() ? "unhealthy" : "healthy";
        String to = status.healthy() ? "healthy" : "unhealthy";
        String reason = status.healthy() ? "checks_passed" : "checks_failed";
        timeline.add(ticker.read(), cluster, backend, Timeline.Kind.HEALTH, from, to, reason, text, 0);
        log(status.healthy() ? LOG.atInfo() : LOG.atWarn(), backend, "health", from, to, reason, text);
    }

    /**
     * The line in words, and its facts as key-value pairs for a structured log ({@code serve --log-format json}):
     * the same fields as a {@code /timeline} event.
     */
    private void log(LoggingEventBuilder line, String backend, String kind, String from, String to, String reason,
            String text) {
        line.addKeyValue("cluster", cluster).addKeyValue("backend", backend).addKeyValue("kind", kind);
        if (from != null) {
            line.addKeyValue("from", from);
        }
        line.addKeyValue("to", to).addKeyValue("reason", reason).log(prefix + backend + ": " + text);
    }
}
