package io.healthyproxy.bench.scenario;

import io.healthyproxy.bench.scenario.ProxyPeer.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each failure scenario of a run drawn by {@link SvgChart}, one line per proxy, into a file beside the report:
 * {@code 2026-12-01-scenarios.md} gets {@code 2026-12-01-scenarios-freeze.svg} and so on, which the report shows.
 */
final class ScenarioCharts {

    /** The width of a chart's time buckets: 500 requests each at the full run's 1,000 a second. */
    static final Duration BUCKET = Duration.ofMillis(500);

    private ScenarioCharts() {
    }

    /** The chart of {@code scenario} beside {@code report}. */
    static Path file(Path report, Scenario scenario) {
        String name = report.getFileName().toString().replaceFirst("\\.md$", "");
        return report.resolveSibling(name + "-" + scenario.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".svg");
    }

    /** Writes the chart of every scenario in {@code scenarios} beside the report {@code options} name; returns the files. */
    static List<Path> write(Map<Scenario, Map<Kind, Report.ScenarioResult>> scenarios, RunOptions options)
            throws IOException {
        Duration length = options.length();
        List<Path> files = new ArrayList<>();
        for (Map.Entry<Scenario, Map<Kind, Report.ScenarioResult>> s : scenarios.entrySet()) {
            List<SvgChart.Line> lines = new ArrayList<>();
            s.getValue().forEach((kind, r) -> lines.add(new SvgChart.Line(kind.label, colour(kind), r.series())));
            Scenario scenario = s.getKey();
            SvgChart.Band band = new SvgChart.Band(seconds(scenario.faultStart(length)), seconds(scenario.faultEnd(length)),
                    faultName(scenario));
            Path file = file(options.out(), scenario);
            String title = String.format(Locale.ROOT, "%s — %.0f requests/s, open loop", scenario.description, options.rate());
            Files.writeString(file, SvgChart.render(title, seconds(length), band, lines));
            files.add(file);
        }
        return files;
    }

    /** The fault's name on its band. */
    static String faultName(Scenario scenario) {
        return switch (scenario) {
            case KILL -> "b2 killed";
            case FREEZE -> "b2 frozen";
            case SERVER_ERRORS -> "b2 answers 500 on /";
            case FLAPPING -> "b2 flapping";
            case BROKEN_ENDPOINT -> Scenario.BROKEN_PATH + " answers 500 on every backend";
        };
    }

    /** A colour per proxy, the same in every chart; a peer's two configs in two shades apart. */
    static String colour(Kind kind) {
        return switch (kind) {
            case HAPROXY -> "#1f77b4";
            case HAPROXY_ACTIVE_CHECKS -> "#9467bd";
            case NGINX -> "#2ca02c";
            case NGINX_DEFAULT_RETRIES -> "#8c564b";
            case HEALTHY_PROXY -> "#d62728";
            case HEALTHY_PROXY_NO_WARM_UP -> "#ff9896";
            case SCG -> "#ff7f0e";
            case VERTX -> "#17becf";
            case ARMERIA -> "#e377c2";
        };
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
