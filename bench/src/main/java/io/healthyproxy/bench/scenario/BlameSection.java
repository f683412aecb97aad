package io.healthyproxy.bench.scenario;

import io.healthyproxy.bench.scenario.ProxyPeer.Kind;
import java.util.Locale;
import java.util.Map;

/**
 * The report's figures on blame (issue 10): what the columns "client 500s", "extra tries" and "ejected" mean, the
 * broken endpoint's table per path, each scenario's chart, and the goals of the broken-endpoint scenario.
 */
final class BlameSection {

    static final String COLUMNS = "\"Client 500s\": answers with status 500 that clients got. \"Extra tries\": the "
            + "requests the three backends logged over the measured run minus the requests clients sent (the retries, "
            + "hedges and second opinions that reached a backend; a connection a dead backend refused is not logged; "
            + "below zero, requests that reached no backend at all: the proxy answered them itself, as NGINX does "
            + "with a 502 when it has taken every server out). "
            + "\"Ejected\": the backends the proxy took out of rotation during the run, and how many times, as each "
            + "proxy tells it: HealthyProxy's `/timeline` (a circuit opening, again after a failed trial too; an "
            + "unhealthy verdict; an ejection for slowness), HAProxy's stats socket (`chkdown`, the UP → DOWN "
            + "transitions, from active or passive checks), NGINX's error log (`upstream server temporarily "
            + "disabled`, once per worker that takes it out: NGINX's two workers count failures apart). Each chart "
            + "shows the run per proxy: latency p50 and p99 per 500 ms of send time, and errors per second.";

    private BlameSection() {
    }

    /** After a scenario's table: for the broken endpoint, its figures per path; for every scenario, its chart. */
    static void afterTable(StringBuilder out, Scenario scenario, Map<Kind, Report.ScenarioResult> results,
            RunOptions options) {
        if (scenario == Scenario.BROKEN_ENDPOINT) {
            brokenEndpointTable(out, results);
        }
        out.append("![").append(scenario.description).append(": latency and errors per proxy over the run](")
                .append(ScenarioCharts.file(options.out(), scenario).getFileName()).append(")\n\n");
    }

    private static void brokenEndpointTable(StringBuilder out, Map<Kind, Report.ScenarioResult> results) {
        String path = Scenario.BROKEN_PATH;
        out.append("Per path: what clients got from `").append(path).append("` while it was broken (its 500s must "
                + "reach them: every backend fails it) and from every other path over the whole run (nothing should "
                + "fail there), and the tries beyond one per request that the backends logged.\n\n");
        out.append("| proxy | ").append(path).append(" while broken: requests | client 500s | other errors | extra tries "
                + "| per request | other paths: requests | errors | extra tries | ejected |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map.Entry<Kind, Report.ScenarioResult> r : results.entrySet()) {
            Blame b = r.getValue().blame();
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.2f | %d | %d | %d | %s |%n", r.getKey().label,
                    b.broken().requests(), b.broken().client500s(), b.broken().errors() - b.broken().client500s(),
                    b.broken().extraTries(), b.broken().extraTriesPerRequest(), b.others().requests(),
                    b.others().errors(), b.others().extraTries(), b.ejections().describe()));
        }
        out.append('\n');
    }

    /** HealthyProxy's goals in the broken-endpoint scenario (the second opinion's promise). */
    static void brokenEndpointGoals(StringBuilder out, String name, Blame b) {
        Goals.goal(out, name + " no backend ejected", b.ejections().describe(), b.ejections().backends() == 0);
        Goals.goal(out, name + " ≤ 1 extra try per " + Scenario.BROKEN_PATH + " request",
                String.format(Locale.ROOT, "%.2f", b.broken().extraTriesPerRequest()), b.broken().extraTriesPerRequest() <= 1);
        Goals.goal(out, name + " its 500s reach clients as 500s", b.broken().client500s() + " client 500s, "
                + (b.broken().errors() - b.broken().client500s()) + " other errors",
                b.broken().client500s() > 0 && b.broken().errors() == b.broken().client500s());
        Goals.goal(out, name + " 0 errors on other paths", b.others().errors() + " errors", b.others().errors() == 0);
    }
}
