package io.healthyproxy.bench.scenario;

import io.healthyproxy.bench.scenario.ProxyPeer.Kind;
import java.util.Locale;
import java.util.Map;

/**
 * The goals of issue 13 (performance) and the reliability goals (the broken endpoint's from issue 10 among them,
 * {@link BlameSection}), each checked against one run's figures, each a ratio to a peer measured in the same run
 * (never to a figure from another day) or an absolute figure. A goal whose figures the run did not measure is left
 * out.
 */
final class Goals {

    /** "RSS flat" through a big body: its peak at most this far above where it started. */
    static final double FLAT_MIB = 32;

    private final Report r;
    private final StringBuilder out = new StringBuilder();

    Goals(Report report) {
        this.r = report;
    }

    void section(StringBuilder into) {
        throughput();
        idle();
        bigBodies();
        startupAndTail();
        scale();
        failures();
        if (r.nodeStartup != null) {
            goal("node start → init_ok ≤ 150 ms (median)", f("%.1f ms", r.nodeStartup.medianMs()), r.nodeStartup.medianMs() <= 150);
        }
        if (out.length() > 0) {
            into.append("## Goals\n\n| goal | result | met |\n|---|---|:-:|\n").append(out).append('\n');
        }
    }

    private void throughput() {
        ThroughputRounds.Summary hp = r.throughput.get(Kind.HEALTHY_PROXY);
        if (hp == null) {
            return;
        }
        ThroughputRounds.Summary nginx = r.throughput.get(Kind.NGINX);
        ThroughputRounds.Summary haproxy = r.throughput.get(Kind.HAPROXY);
        if (nginx != null) {
            double ratio = hp.requestsPerSecond() / nginx.requestsPerSecond();
            goal("throughput ≥ 1.0× NGINX", f("%.2f×", ratio), ratio >= 1.0);
            goal("CPU per request ≤ NGINX's", f("%.1f µs against %.1f µs (%.2f×; user %.1f against %.1f µs)",
                    hp.cpuMicrosPerRequest(), nginx.cpuMicrosPerRequest(), hp.cpuMicrosPerRequest() / nginx.cpuMicrosPerRequest(),
                    hp.userMicrosPerRequest(), nginx.userMicrosPerRequest()),
                    hp.cpuMicrosPerRequest() <= nginx.cpuMicrosPerRequest());
        }
        if (haproxy != null) {
            double ratio = hp.requestsPerSecond() / haproxy.requestsPerSecond();
            goal("throughput ≥ 1.2× HAProxy", f("%.2f×", ratio), ratio >= 1.2);
            goal("throughput p99 ≤ HAProxy's", f("%.2f ms against %.2f ms", hp.median().p99Ms(), haproxy.median().p99Ms()),
                    hp.median().p99Ms() <= haproxy.median().p99Ms());
        }
        goal("RSS under load ≤ 64 MiB (launcher defaults)", f("%.0f MiB", hp.rssMiB()), hp.rssMiB() <= 64);
        Map.Entry<Kind, ThroughputRounds.Summary> jvm = Report.bestJvmPeer(r.throughput, ThroughputRounds.Summary::requestsPerSecond);
        if (jvm != null) {
            double ratio = hp.requestsPerSecond() / jvm.getValue().requestsPerSecond();
            goal("throughput ≥ 1.5× the best JVM peer", f("%.2f× %s", ratio, jvm.getKey().label), ratio >= 1.5);
        }
        if (r.circuitLog != null) {
            goal("no circuit opening, ejection or health flip in the throughput rounds", r.circuitLog.toString(),
                    r.circuitLog.quiet());
        }
    }

    private void idle() {
        IdleConnections.Result hp = r.idle.get(Kind.HEALTHY_PROXY);
        IdleConnections.Result haproxy = r.idle.get(Kind.HAPROXY);
        if (hp != null && haproxy != null) {
            double ratio = hp.kibPerConnection() / Math.max(0.01, haproxy.kibPerConnection());
            goal("memory per idle connection ≤ 2× HAProxy's", f("%.2f KiB against %.2f KiB (%.1f×), settled; 2 s after the "
                    + "last connect %.2f against %.2f", hp.kibPerConnection(), haproxy.kibPerConnection(), ratio,
                    hp.kibPerConnectionSoon(), haproxy.kibPerConnectionSoon()),
                    ratio <= 2 && hp.stillOpen() >= hp.opened() * 0.99);
        }
    }

    private void bigBodies() {
        transferGoal("download", r.download);
        transferGoal("upload", r.upload);
    }

    private void transferGoal(String what, Map<Kind, BigBody.Rounds> results) {
        BigBody.Rounds hp = results.get(Kind.HEALTHY_PROXY);
        BigBody.Rounds haproxy = results.get(Kind.HAPROXY);
        if (hp == null || haproxy == null) {
            return;
        }
        double ratio = hp.megabytesPerSecond() / Math.max(0.001, haproxy.megabytesPerSecond());
        double growth = hp.rssPeakMiB() - hp.rssBeforeMiB();
        goal(BigBody.fileName(r.options.bigBytes()) + " " + what + " ≥ 1.0× HAProxy's MB/s, RSS flat (peak < +"
                        + (int) FLAT_MIB + " MiB)",
                f("%.2f× (%.0f against %.0f MB/s, medians), RSS +%.0f MiB at peak", ratio, hp.megabytesPerSecond(),
                        haproxy.megabytesPerSecond(), growth),
                hp.complete(r.options.bigBytes()) && ratio >= 1.0 && growth < FLAT_MIB);
    }

    private void startupAndTail() {
        StartUp.Result hp = r.startup.get(Kind.HEALTHY_PROXY);
        StartUp.Result haproxy = r.startup.get(Kind.HAPROXY);
        if (hp != null && haproxy != null) {
            // "Beside HAProxy's" is a figure to show, not a threshold: a JVM cannot start in HAProxy's 10-20 ms.
            StartUp.Result cold = r.startup.get(Kind.HEALTHY_PROXY_NO_WARM_UP);
            out.append("| start-up (process start → first proxied 200) beside HAProxy's | ")
                    .append(f("%.0f ms against %.0f ms", hp.medianMs(), haproxy.medianMs()))
                    .append(cold == null ? "" : f(" (%.0f ms without the warm-up)", cold.medianMs())).append(" | — |\n");
        }
        WarmupTail.Result tail = r.warmupTail.get(Kind.HEALTHY_PROXY);
        WarmupTail.Result haTail = r.warmupTail.get(Kind.HAPROXY);
        if (tail != null && haTail != null) {
            double ratio = tail.p99Ms() / Math.max(0.001, haTail.p99Ms());
            WarmupTail.Result cold = r.warmupTail.get(Kind.HEALTHY_PROXY_NO_WARM_UP);
            goal(f("warm-up tail (p99 over the first %ds) ≤ 2× HAProxy's", r.options.tailLength().toSeconds()),
                    f("%.1f ms against %.1f ms (%.1f×); worst second %.1f against %.1f ms", tail.p99Ms(), haTail.p99Ms(),
                            ratio, tail.worstSecondMs(), haTail.worstSecondMs())
                            + (cold == null ? "" : f("; without the warm-up %.1f ms (%.1f×), worst second %.1f ms",
                                    cold.p99Ms(), cold.p99Ms() / Math.max(0.001, haTail.p99Ms()), cold.worstSecondMs())),
                    ratio <= 2);
        }
    }

    private void scale() {
        if (r.scale == null) {
            return;
        }
        double base = r.scale.get(ScaleScenario.Variant.BASELINE.ordinal()).requestsPerSecond();
        double haproxy = r.scale.get(ScaleScenario.Variant.HAPROXY_BACKENDS.ordinal()).requestsPerSecond()
                / r.scale.get(ScaleScenario.Variant.HAPROXY_BASELINE.ordinal()).requestsPerSecond();
        double backends = r.scale.get(ScaleScenario.Variant.BACKENDS.ordinal()).requestsPerSecond() / base;
        goal("1,000 backends in one cluster: throughput within 5% of 3 backends, 1 route",
                f("%.2f× (HAProxy's own, 1,000 backends against 3: %.2f×)", backends, haproxy), backends >= 0.95);
        double routes = r.scale.get(ScaleScenario.Variant.ROUTES.ordinal()).requestsPerSecond() / base;
        goal("1,000 routes, the match last: throughput within 5% of 3 backends, 1 route", f("%.2f×", routes), routes >= 0.95);
    }

    private void failures() {
        for (Map.Entry<Scenario, Map<Kind, Report.ScenarioResult>> s : r.scenarios.entrySet()) {
            Report.ScenarioResult result = s.getValue().get(Kind.HEALTHY_PROXY);
            if (result == null) {
                continue;
            }
            LoadStats l = result.load();
            String name = s.getKey().description.substring(0, 3);
            if (s.getKey() == Scenario.BROKEN_ENDPOINT) {
                BlameSection.brokenEndpointGoals(out, name, result.blame());
                continue;
            }
            goal(name + " 0 errors", l.errors() + " errors", l.errors() == 0);
            if (s.getKey() == Scenario.FREEZE) {
                double completed = 100.0 * l.completed() / Math.max(1, l.offered());
                goal(name + " ≥ 99.9% completed", f("%.2f%%", completed), completed >= 99.9);
                goal(name + " no request > 250 ms", l.slowerThan250ms() + f(" (max %.0f ms)", l.maxMs()), l.slowerThan250ms() == 0);
            }
            if (s.getKey() == Scenario.SERVER_ERRORS) {
                goal(name + " ≤ 10 requests wasted on b2", Long.toString(result.reachedFaultyBackend()),
                        result.reachedFaultyBackend() <= 10);
                goal(name + " no 500 reaches a client", result.blame().client500s() + " client 500s",
                        result.blame().client500s() == 0);
            }
        }
    }

    private void goal(String goal, String result, boolean met) {
        goal(out, goal, result, met);
    }

    /** One row of the goals table. */
    static void goal(StringBuilder out, String goal, String result, boolean met) {
        out.append("| ").append(goal).append(" | ").append(result).append(" | ").append(met ? "yes" : "**no**").append(" |\n");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
