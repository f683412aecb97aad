package io.healthyproxy.app.cli;

import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.Timeouts;
import java.util.Locale;

/**
 * The few lines of an effective config a person checks before a deploy: where it listens, where it sends, and
 * how quickly it gives up on a backend. Not a full dump: {@code examples/full.yaml} documents the rest.
 *
 * <pre>
 *   listen    127.0.0.1:8080
 *   admin     127.0.0.1:9901 (no token)
 *   backends  2, round_robin, last_resort when none admits
 *             api-1 10.0.0.1:8080
 *             10.0.0.2:8080
 *   health    GET /health expecting 2xx, every 2s (1s while unhealthy), timeout 1s, rise 2, fall 3
 *   breaker   opens after 5 consecutive failures, for 5s (x2 per re-opening, up to 5m)
 *   timeouts  connect 5s, per try 30s, request 1m, response idle 1m
 * </pre>
 */
final class ConfigSummary {

    private ConfigSummary() {
    }

    static String of(ProxyConfig config) {
        StringBuilder s = new StringBuilder();
        line(s, "listen", config.listen() + config.tls().map(tls -> " (TLS, " + tls.certificates().size()
                + (tls.certificates().size() == 1 ? " certificate" : " certificates")
                + (config.http2().enabled() ? "; h2 + HTTP/1.1)" : "; HTTP/1.1)")).orElse(""));
        line(s, "admin", config.admin() + (config.adminTls().isPresent() ? " (TLS)" : "")
                + (config.adminToken().isPresent() ? " (token required)" : " (no token)"));
        line(s, "backends", config.backends().size() + ", " + name(config.balancing()) + ", "
                + name(config.whenNoneAdmits()) + " when none admits");
        for (BackendConfig backend : config.backends()) {
            String address = backend.address().toString();
            line(s, "", backend.name().equals(address) ? address : backend.name() + " " + address);
        }
        line(s, "health", health(config.healthCheck()));
        line(s, "breaker", breaker(config.breaker()));
        line(s, "timeouts", timeouts(config.timeouts()));
        return s.toString();
    }

    private static String health(HttpHealthCheck check) {
        if (!check.enabled()) {
            return "off";
        }
        HealthCheckConfig schedule = check.schedule();
        return check.method() + " " + check.path() + " expecting " + check.expect()
                + ", every " + HumanDuration.format(schedule.interval())
                + " (" + HumanDuration.format(schedule.unhealthyInterval()) + " while unhealthy)"
                + ", timeout " + HumanDuration.format(schedule.timeout())
                + ", rise " + schedule.healthyThreshold() + ", fall " + schedule.unhealthyThreshold();
    }

    private static String breaker(CircuitBreakerConfig breaker) {
        String opens = "opens after " + breaker.failureThreshold() + " consecutive failures"
                + breaker.failureRate().map(rate -> " or " + Math.round(rate.threshold() * 100) + "% of "
                        + rate.minimumCalls() + "+ calls in " + HumanDuration.format(rate.window())).orElse("");
        String growth = breaker.backoffMultiplier() == 1.0 ? ""
                : " (x" + trim(breaker.backoffMultiplier()) + " per re-opening, up to "
                        + HumanDuration.format(breaker.maxOpenDuration()) + ")";
        return opens + ", for " + HumanDuration.format(breaker.openDuration()) + growth;
    }

    private static String timeouts(Timeouts timeouts) {
        return "connect " + HumanDuration.format(timeouts.connect())
                + ", per try " + HumanDuration.format(timeouts.perTry())
                + ", request " + HumanDuration.format(timeouts.request())
                + ", response idle " + HumanDuration.format(timeouts.responseIdle());
    }

    private static void line(StringBuilder s, String label, String value) {
        s.append(String.format(Locale.ROOT, "  %-9s %s%n", label, value));
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
