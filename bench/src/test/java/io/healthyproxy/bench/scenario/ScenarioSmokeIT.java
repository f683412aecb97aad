package io.healthyproxy.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scenario runner end to end in its {@code --quick} form, against real HAProxy, NGINX and wrk (installed
 * by {@code bench/install-peers} if missing), so that it does not rot between real runs. The figures of a
 * quick run on a busy CI machine mean little: this checks that every part runs and reports, and that nothing
 * fails outright. {@code bench/run-scenarios} measures. The peers' second configs ({@link PeerVariants}) are left
 * out to keep it short: they are the same programs, and their configs are checked by {@code PeerVariantsTest}.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ScenarioSmokeIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @BeforeAll
    static void peersAreInstalled() throws Exception {
        Process install = new ProcessBuilder(ROOT.resolve("bench/install-peers").toString()).inheritIO().start();
        assertThat(install.waitFor(10, TimeUnit.MINUTES)).as("bench/install-peers finished").isTrue();
        assertThat(install.exitValue()).as("bench/install-peers: HAProxy, NGINX and wrk are needed").isZero();
    }

    @Test
    void aQuickRunMeasuresEveryPeerInEveryPartAndWritesTheReportAndCharts() throws Exception {
        Path out = ROOT.resolve("bench/target/scenario-smoke.md");
        RunOptions options = RunOptions.parse(new String[] {"--root", ROOT.toString(), "--quick", "--out", out.toString(),
                "--proxies", "haproxy,nginx,healthy_proxy"});
        ProxyPeer.Kind[] peers = {ProxyPeer.Kind.HAPROXY, ProxyPeer.Kind.NGINX, ProxyPeer.Kind.HEALTHY_PROXY};

        Report report = new ScenarioRunner(options).run();
        Files.writeString(out, report.markdown("--quick"));
        ScenarioCharts.write(report.scenarios, options);

        assertThat(report.throughput).containsOnlyKeys(peers);
        assertThat(report.throughput.values()).allSatisfy(rounds -> assertThat(rounds).isNotEmpty()
                .allSatisfy(r -> assertThat(r.requestsPerSecond()).isPositive()));
        assertThat(report.direct.requestsPerSecond()).isPositive();
        assertThat(report.scenarios).containsOnlyKeys(Scenario.values());
        for (var byProxy : report.scenarios.values()) {
            assertThat(byProxy).containsOnlyKeys(peers);
            byProxy.values().forEach(r -> assertThat(r.load().completed()).as("requests answered")
                    .isGreaterThan(r.load().offered() * 9 / 10));
        }
        Report.ScenarioResult broken = report.scenarios.get(Scenario.BROKEN_ENDPOINT).get(ProxyPeer.Kind.HEALTHY_PROXY);
        assertThat(broken.blame().broken().client500s()).as("the broken endpoint's 500s reach clients").isPositive();
        assertThat(broken.blame().ejections().backends()).as("HealthyProxy's ejections are read").isNotNegative();
        for (Scenario scenario : Scenario.values()) {
            assertThat(Files.readString(ScenarioCharts.file(out, scenario))).as(scenario + "'s chart")
                    .contains("<svg", "class=\"fault\"", "polyline class=\"p99\" data-proxy=\"HealthyProxy\"");
        }
        assertThat(report.nodeStartup.medianMs()).isPositive();
        assertThat(report.healthChecksPerSecond).isPositive();
        assertThat(Files.readString(out)).contains("## Throughput", "## Failure scenarios", "## The Maelstrom node",
                "## Goals", "| client 500s | extra tries | ejected |", "/broken while broken", "scenario-smoke-freeze.svg");
    }
}
