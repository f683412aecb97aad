package io.healthyproxy.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {

    /** Two buckets of 500 ms in a 1 s run: p50 1 ms / p99 10 ms, then p50 10 ms / p99 100 ms with 5 errors. */
    private static final LoadSeries TINY = new LoadSeries(0.5, List.of(new LoadSeries.Bucket(0, 100, 1, 10, 0),
            new LoadSeries.Bucket(0.5, 100, 10, 100, 5)));
    private static final LoadSeries EMPTY_SECOND_HALF = new LoadSeries(0.5, List.of(new LoadSeries.Bucket(0, 100, 2, 20, 0),
            new LoadSeries.Bucket(0.5, 0, 0, 0, 0)));

    private static Document chart() throws Exception {
        String svg = SvgChart.render("b2 frozen <SIGSTOP> & thawed", 1.0, new SvgChart.Band(0.25, 0.75, "b2 frozen"),
                List.of(new SvgChart.Line("HAProxy", "#1f77b4", TINY), new SvgChart.Line("HealthyProxy", "#d62728",
                        EMPTY_SECOND_HALF)));
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void isAnSvgDocumentWithTitleAxesInUnitsAndALegend() throws Exception {
        Document svg = chart();

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg.getDocumentElement().getAttribute("xmlns")).isEqualTo("http://www.w3.org/2000/svg");
        List<String> texts = texts(svg);
        assertThat(texts).contains("b2 frozen <SIGSTOP> & thawed", "time in the run (s)", "latency (log scale)",
                "errors/s", "HAProxy", "HealthyProxy", "p99 latency", "p50 latency", "1 ms", "10 ms", "100 ms");
        assertThat(elements(svg, "line", "legend")).extracting(e -> e.getAttribute("data-proxy"))
                .containsExactly("HAProxy", "HealthyProxy");
    }

    @Test
    void theFaultIsAShadedBandNamedOverItsTime() throws Exception {
        Document svg = chart();

        List<Element> bands = elements(svg, "rect", "fault");
        assertThat(bands).hasSize(1);
        Element band = bands.get(0);
        assertThat(number(band, "x")).isCloseTo(xOfSecond(svg, 0) + 0.25 * (xOfSecond(svg, 1) - xOfSecond(svg, 0)), within(0.2));
        assertThat(number(band, "x") + number(band, "width"))
                .isCloseTo(xOfSecond(svg, 0) + 0.75 * (xOfSecond(svg, 1) - xOfSecond(svg, 0)), within(0.2));
        assertThat(texts(svg)).contains("fault: b2 frozen");
    }

    @Test
    void eachProxyHasItsP99P50AndErrorLinesInItsColour() throws Exception {
        Document svg = chart();

        for (String kind : List.of("p99", "p50", "errors")) {
            assertThat(elements(svg, "polyline", kind)).as(kind).extracting(e -> e.getAttribute("data-proxy") + " "
                    + e.getAttribute("stroke")).containsExactly("HAProxy #1f77b4", "HealthyProxy #d62728");
        }
    }

    @Test
    void pointsSitAtTheMiddleOfTheirBucketAndOnTheGridLineOfTheirValue() throws Exception {
        Document svg = chart();

        double[][] p99 = points(line(svg, "p99", "HAProxy"));
        assertThat(p99).hasDimensions(2, 2);
        double x0 = xOfSecond(svg, 0);
        double x1 = xOfSecond(svg, 1);
        assertThat(p99[0][0]).isCloseTo(x0 + 0.25 * (x1 - x0), within(0.2));
        assertThat(p99[1][0]).isCloseTo(x0 + 0.75 * (x1 - x0), within(0.2));
        assertThat(p99[0][1]).isCloseTo(gridY(svg, "data-ms", "10"), within(0.2));
        assertThat(p99[1][1]).isCloseTo(gridY(svg, "data-ms", "100"), within(0.2));
        double[][] p50 = points(line(svg, "p50", "HAProxy"));
        assertThat(p50[0][1]).isCloseTo(gridY(svg, "data-ms", "1"), within(0.2));
        assertThat(p50[1][1]).isCloseTo(gridY(svg, "data-ms", "10"), within(0.2));
        // 5 errors in 500 ms are 10 a second, the errors axis' top.
        double[][] errors = points(line(svg, "errors", "HAProxy"));
        assertThat(errors[0][1]).isCloseTo(gridY(svg, "data-per-second", "0"), within(0.2));
        assertThat(errors[1][1]).isCloseTo(gridY(svg, "data-per-second", "10"), within(0.2));
    }

    @Test
    void aBucketWithoutRequestsHasNoPoint() throws Exception {
        assertThat(points(line(chart(), "p99", "HealthyProxy"))).hasDimensions(1, 2);
    }

    @Test
    void aLongTitleIsWrappedOntoTwoLinesAtASpace() {
        String title = "(e) an endpoint broken everywhere: /broken (1 request in 10) answers 500 on every backend from "
                + "5 s to 20 s, other paths fine";

        assertThat(SvgChart.wrap(title)).hasSize(2).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(105));
        assertThat(String.join(" ", SvgChart.wrap(title))).isEqualTo(title);
        assertThat(SvgChart.wrap("short")).containsExactly("short");
    }

    @Test
    void theLatencyScaleSpansWholeDecadesAroundTheValues() throws Exception {
        assertThat(elements(chart(), "line", "grid")).filteredOn(e -> e.hasAttribute("data-ms"))
                .extracting(e -> e.getAttribute("data-ms")).containsExactly("0.1", "1", "10", "100");
    }

    private static double xOfSecond(Document svg, int second) {
        return elements(svg, "line", "grid").stream().filter(e -> e.getAttribute("data-seconds").equals(Integer.toString(second)))
                .findFirst().map(e -> number(e, "x1")).orElseThrow();
    }

    private static double gridY(Document svg, String attribute, String value) {
        return elements(svg, "line", "grid").stream().filter(e -> e.getAttribute(attribute).equals(value))
                .findFirst().map(e -> number(e, "y1")).orElseThrow(() -> new AssertionError("no grid line " + attribute + "=" + value));
    }

    private static Element line(Document svg, String kind, String proxy) {
        return elements(svg, "polyline", kind).stream().filter(e -> e.getAttribute("data-proxy").equals(proxy)).findFirst()
                .orElseThrow();
    }

    private static double[][] points(Element polyline) {
        String points = polyline.getAttribute("points").trim();
        if (points.isEmpty()) {
            return new double[0][];
        }
        String[] pairs = points.split(" ");
        double[][] xy = new double[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            String[] p = pairs[i].split(",");
            xy[i] = new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])};
        }
        return xy;
    }

    private static List<Element> elements(Document svg, String tag, String cssClass) {
        NodeList nodes = svg.getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("class").equals(cssClass)) {
                found.add(e);
            }
        }
        return found;
    }

    private static List<String> texts(Document svg) {
        NodeList nodes = svg.getElementsByTagName("text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    private static double number(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }
}
