package io.healthyproxy.app.cli;

import io.healthyproxy.core.breaker.CircuitBreakerConfig;
import io.healthyproxy.core.health.HealthCheckConfig;
import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.ClusterConfig;
import io.healthyproxy.http.config.HttpHealthCheck;
import io.healthyproxy.http.config.ProxyConfig;
import io.healthyproxy.http.config.RouteConfig;
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
 *
 * A config with clusters has the same lines for each cluster, then its routes in order:
 *
 * <pre>
 *   cluster   api: 2 backends, round_robin, last_resort when none admits, slow start 30s
 *             127.0.0.1:9101
 *             api-2 127.0.0.1:9102 (weight 2)
 *   health    ...
 *   routes    2, the first that matches wins
 *             host api.example.com, pathPrefix /v1/ -&gt; api, stripPrefix /v1
 *             any host, any path -&gt; static
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
        if (!config.backends().isEmpty()) {
            cluster(s, "backends", config.backends().size() + ", ", config.clusters().get(ProxyConfig.DEFAULT_CLUSTER));
            return s.toString();
        }
        for (ClusterConfig cluster : config.clusters().values()) {
            int n = cluster.backends().size();
            cluster(s, "cluster", cluster.name() + ": " + n + (n == 1 ? " backend, " : " backends, "), cluster);
        }
        line(s, "routes", config.routes().size() + ", the first that matches wins");
        for (RouteConfig route : config.routes()) {
            line(s, "", route.match() + " -> " + route.cluster()
                    + route.rewrite().map(r -> r.to().equals("/") ? ", stripPrefix " + r.from()
                            : ", prefixRewrite " + r.to()).orElse(""));
        }
        return s.toString();
    }

    private static void cluster(StringBuilder s, String label, String head, ClusterConfig cluster) {
        line(s, label, head + name(cluster.balancing()) + ", " + name(cluster.whenNoneAdmits()) + " when none admits"
                + (cluster.slowStart().isZero() ? "" : ", slow start " + HumanDuration.format(cluster.slowStart())));
        for (BackendConfig backend : cluster.backends()) {
            String address = backend.address().toString();
            line(s, "", (backend.name().equals(address) ? address : backend.name() + " " + address)
                    + (backend.weight() == 1 ? "" : " (weight " + backend.weight() + ")"));
        }
        line(s, "health", health(cluster.healthCheck()));
        line(s, "breaker", breaker(cluster.breaker()));
        line(s, "timeouts", timeouts(cluster.timeouts()));
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
