package io.healthyproxy.bench.scenario;

import java.util.List;
import java.util.Locale;

/**
 * One failure scenario drawn as an SVG image, written as text (no library): time in the run across; above, the
 * latency p99 (solid) and p50 (dashed) of each bucket of requests on a log scale; below, errors per second;
 * one colour per proxy, a legend, and the fault's time shaded and named across both panels.
 *
 * <p>The elements a reader (or a test) may look for carry classes and data attributes: the fault band is
 * {@code rect.fault}; each proxy has {@code polyline.p99}, {@code polyline.p50} and {@code polyline.errors} with
 * {@code data-proxy}; grid lines carry their value ({@code data-seconds}, {@code data-ms}, {@code data-per-second}).
 */
final class SvgChart {

    /** One proxy's line. */
    record Line(String proxy, String colour, LoadSeries series) {
    }

    /** The fault's time in the run, shaded, with its name. */
    record Band(double fromSeconds, double toSeconds, String label) {
    }

    static final int WIDTH = 1000;
    static final int HEIGHT = 600;
    private static final int LEFT = 90;
    /** Room on the right for the legend: the longest label is "NGINX, default proxy_next_upstream". */
    private static final int RIGHT = WIDTH - 280;
    private static final int LATENCY_TOP = 80;
    private static final int LATENCY_BOTTOM = 375;
    private static final int ERRORS_TOP = 430;
    private static final int ERRORS_BOTTOM = 535;
    /** A title longer than this is wrapped, at spaces, onto a second line. */
    private static final int TITLE_CHARS = 105;

    private final double lengthSeconds;
    private final double bucketSeconds;
    private final double lowMs;
    private final double highMs;
    private final double errorsTop;
    private final StringBuilder svg = new StringBuilder();

    private SvgChart(double lengthSeconds, List<Line> lines) {
        this.lengthSeconds = lengthSeconds;
        this.bucketSeconds = lines.isEmpty() ? 0 : lines.get(0).series().bucketSeconds();
        double min = Double.MAX_VALUE;
        double max = 0;
        double errors = 0;
        for (Line line : lines) {
            for (LoadSeries.Bucket b : line.series().buckets()) {
                if (b.requests() > 0) {
                    min = Math.min(min, Math.max(b.p50Ms(), 1e-3));
                    max = Math.max(max, b.p99Ms());
                    errors = Math.max(errors, b.errors() / line.series().bucketSeconds());
                }
            }
        }
        // Decades that hold every value: at least 0.1 ms to 10 ms, so a quiet run still reads as "fast".
        this.lowMs = Math.min(0.1, Math.pow(10, Math.floor(Math.log10(min == Double.MAX_VALUE ? 0.1 : min))));
        this.highMs = Math.max(10, Math.pow(10, Math.ceil(Math.log10(Math.max(max, 1e-3)))));
        this.errorsTop = niceCeiling(Math.max(1, errors));
    }

    /** The chart of a run of {@code lengthSeconds}, titled {@code title}, with {@code fault} shaded. */
    static String render(String title, double lengthSeconds, Band fault, List<Line> lines) {
        SvgChart chart = new SvgChart(lengthSeconds, lines);
        chart.draw(title, fault, lines);
        return chart.svg.toString();
    }

    private void draw(String title, Band fault, List<Line> lines) {
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        List<String> titleLines = wrap(title);
        for (int i = 0; i < titleLines.size(); i++) {
            text(WIDTH / 2.0, 22 + 18 * i, "middle", "class=\"title\" font-size=\"14\" font-weight=\"bold\"",
                    titleLines.get(i));
        }
        band(fault);
        latencyAxes();
        errorAxes();
        timeAxis();
        for (Line line : lines) {
            polyline(line, "p99", "", b -> yLatency(b.p99Ms()));
            polyline(line, "p50", " stroke-dasharray=\"5 4\"", b -> yLatency(b.p50Ms()));
            polyline(line, "errors", "", b -> yErrors(b.errors() / line.series().bucketSeconds()));
        }
        legend(lines);
        svg.append("</svg>\n");
    }

    double x(double seconds) {
        return LEFT + seconds / lengthSeconds * (RIGHT - LEFT);
    }

    double yLatency(double ms) {
        double v = Math.max(ms, lowMs);
        return LATENCY_BOTTOM - (Math.log10(v) - Math.log10(lowMs)) / (Math.log10(highMs) - Math.log10(lowMs))
                * (LATENCY_BOTTOM - LATENCY_TOP);
    }

    double yErrors(double perSecond) {
        return ERRORS_BOTTOM - perSecond / errorsTop * (ERRORS_BOTTOM - ERRORS_TOP);
    }

    private void band(Band fault) {
        double from = x(fault.fromSeconds());
        double to = x(fault.toSeconds());
        svg.append(String.format(Locale.ROOT, "<rect class=\"fault\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                + "fill=\"#f4b6b6\" fill-opacity=\"0.45\"/>%n", from, LATENCY_TOP, to - from, ERRORS_BOTTOM - LATENCY_TOP));
        text(from + 4, LATENCY_TOP + 14, "start", "class=\"fault-label\" fill=\"#8b1a1a\"", "fault: " + fault.label());
    }

    private void latencyAxes() {
        text(LEFT, LATENCY_TOP - 10, "start", "font-weight=\"bold\"",
                "Latency of the requests due in each " + bucketText() + ", from their intended send time: p99 solid, p50 dashed");
        for (double ms = lowMs; ms <= highMs * 1.0001; ms *= 10) {
            double y = yLatency(ms);
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" data-ms=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
                    + "y2=\"%.1f\" stroke=\"#ddd\"/>%n", number(ms), LEFT, y, RIGHT, y));
            text(LEFT - 6, y + 4, "end", "", latencyLabel(ms));
        }
        frame(LATENCY_TOP, LATENCY_BOTTOM);
        yTitle((LATENCY_TOP + LATENCY_BOTTOM) / 2.0, "latency (log scale)");
    }

    private void errorAxes() {
        text(LEFT, ERRORS_TOP - 10, "start", "font-weight=\"bold\"",
                "Errors per second (any answer but 2xx/3xx, or none), per " + bucketText());
        for (double e : new double[] {0, errorsTop / 2, errorsTop}) {
            double y = yErrors(e);
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" data-per-second=\"%s\" x1=\"%d\" y1=\"%.1f\" "
                    + "x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", number(e), LEFT, y, RIGHT, y));
            text(LEFT - 6, y + 4, "end", "", number(e));
        }
        frame(ERRORS_TOP, ERRORS_BOTTOM);
        yTitle((ERRORS_TOP + ERRORS_BOTTOM) / 2.0, "errors/s");
    }

    private void timeAxis() {
        double step = niceCeiling(lengthSeconds / 8);
        for (double s = 0; s <= lengthSeconds + 1e-9; s += step) {
            double x = x(s);
            for (int[] panel : new int[][] {{LATENCY_TOP, LATENCY_BOTTOM}, {ERRORS_TOP, ERRORS_BOTTOM}}) {
                svg.append(String.format(Locale.ROOT, "<line class=\"grid\" data-seconds=\"%s\" x1=\"%.1f\" y1=\"%d\" "
                        + "x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", number(s), x, panel[0], x, panel[1]));
            }
            text(x, ERRORS_BOTTOM + 16, "middle", "", number(s));
        }
        text((LEFT + RIGHT) / 2.0, ERRORS_BOTTOM + 40, "middle", "", "time in the run (s)");
    }

    private void frame(int top, int bottom) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", LEFT, top, RIGHT - LEFT, bottom - top));
    }

    private void yTitle(double y, String title) {
        svg.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 20 %.1f)\">%s</text>%n", y, y, escape(title)));
    }

    private void polyline(Line line, String kind, String style, java.util.function.ToDoubleFunction<LoadSeries.Bucket> y) {
        StringBuilder points = new StringBuilder();
        double half = line.series().bucketSeconds() / 2;
        for (LoadSeries.Bucket b : line.series().buckets()) {
            if (b.requests() > 0) {
                points.append(points.isEmpty() ? "" : " ")
                        .append(String.format(Locale.ROOT, "%.1f,%.1f", x(b.startSeconds() + half), y.applyAsDouble(b)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<polyline class=\"%s\" data-proxy=\"%s\" points=\"%s\" fill=\"none\" "
                + "stroke=\"%s\" stroke-opacity=\"0.85\" stroke-width=\"%s\"%s/>%n", kind, escape(line.proxy()), points, line.colour(),
                kind.equals("p50") ? "1.2" : "1.8", style));
    }

    private void legend(List<Line> lines) {
        double x = RIGHT + 20;
        double y = LATENCY_TOP + 4;
        text(x, y, "start", "font-weight=\"bold\"", "proxy");
        for (Line line : lines) {
            y += 20;
            svg.append(String.format(Locale.ROOT, "<line class=\"legend\" data-proxy=\"%s\" x1=\"%.1f\" y1=\"%.1f\" "
                    + "x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>%n", escape(line.proxy()), x, y - 4,
                    x + 24, y - 4, line.colour()));
            text(x + 30, y, "start", "", line.proxy());
        }
        y += 32;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\" "
                + "stroke-width=\"1.8\"/>%n", x, y - 4, x + 24, y - 4));
        text(x + 30, y, "start", "", "p99 latency");
        y += 20;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\" "
                + "stroke-width=\"1.2\" stroke-dasharray=\"5 4\"/>%n", x, y - 4, x + 24, y - 4));
        text(x + 30, y, "start", "", "p50 latency");
    }

    private void text(double x, double y, String anchor, String attributes, String content) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n", x, y, anchor,
                attributes.isEmpty() ? "" : " " + attributes, escape(content)));
    }

    /** {@code title} in lines of at most {@link #TITLE_CHARS}, broken at spaces (two lines at most: the rest goes on the second). */
    static List<String> wrap(String title) {
        if (title.length() <= TITLE_CHARS) {
            return List.of(title);
        }
        int cut = title.lastIndexOf(' ', TITLE_CHARS);
        if (cut <= 0) {
            return List.of(title);
        }
        return List.of(title.substring(0, cut), title.substring(cut + 1));
    }

    private String bucketText() {
        return number(1000 * bucketSeconds) + " ms";
    }

    private static String latencyLabel(double ms) {
        return ms >= 1000 ? number(ms / 1000) + " s" : number(ms) + " ms";
    }

    /** 0.1, 1, 2.5, 10: no trailing zeros. */
    static String number(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** The smallest of 1, 2, 5 × 10^k that is at least {@code v}. */
    static double niceCeiling(double v) {
        double decade = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * decade >= v * 0.9999) {
                return m * decade;
            }
        }
        return 10 * decade;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
