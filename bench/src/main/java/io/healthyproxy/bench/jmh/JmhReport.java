package io.healthyproxy.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns JMH's JSON results ({@code -rf json}) into the Markdown table kept under {@code bench/results/}: each
 * benchmark's throughput with its error, allocation per operation, and for the breaker benchmarks the ratio
 * to Resilience4j at the same thread count.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.healthyproxy.bench.jmh.JmhReport jmh.json "command" &gt; report.md</pre>
 */
public final class JmhReport {

    /**
     * One benchmark (with its params) and what was measured; {@code best} is its best iteration (the fastest
     * for a time per operation, the highest for a throughput), which load from other processes cannot improve.
     */
    record Row(String name, String params, double score, double error, String unit, double bytesPerOp, double best) {

        Row(String name, String params, double score, double error, String unit, double bytesPerOp) {
            this(name, params, score, error, unit, bytesPerOp, Double.NaN);
        }
    }

    private JmhReport() {
    }

    public static void main(String[] args) throws IOException {
        List<Row> rows = read(Path.of(args[0]));
        System.out.print(markdown(rows, args.length > 1 ? args[1] : "bench/run-jmh"));
    }

    static List<Row> read(Path json) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json.toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException(json + ": not JMH's JSON results");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                StringBuilder params = new StringBuilder();
                double score = Double.NaN;
                double error = Double.NaN;
                String unit = "";
                double bytes = Double.NaN;
                List<Double> iterations = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "benchmark" -> name = p.getText().substring(p.getText().lastIndexOf('.',
                                p.getText().lastIndexOf('.') - 1) + 1);
                        case "params" -> {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String key = p.currentName();
                                p.nextToken();
                                params.append(params.length() == 0 ? "" : ", ").append(key).append('=').append(p.getText());
                            }
                        }
                        case "primaryMetric" -> {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String key = p.currentName();
                                p.nextToken();
                                switch (key) {
                                    case "score" -> score = p.getDoubleValue();
                                    case "scoreError" -> error = p.getValueAsDouble(Double.NaN);
                                    case "scoreUnit" -> unit = p.getText();
                                    case "rawData" -> {
                                        while (p.nextToken() == JsonToken.START_ARRAY) {
                                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                                iterations.add(p.getDoubleValue());
                                            }
                                        }
                                    }
                                    default -> p.skipChildren();
                                }
                            }
                        }
                        case "secondaryMetrics" -> {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String metric = p.currentName();
                                p.nextToken();
                                if (metric.equals("gc.alloc.rate.norm")) {
                                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                                        String key = p.currentName();
                                        p.nextToken();
                                        if (key.equals("score")) {
                                            bytes = p.getDoubleValue();
                                        } else {
                                            p.skipChildren();
                                        }
                                    }
                                } else {
                                    p.skipChildren();
                                }
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
                boolean perOp = unit.endsWith("/op");
                double best = iterations.stream().mapToDouble(Double::doubleValue)
                        .reduce(perOp ? Math::min : Math::max).orElse(Double.NaN);
                rows.add(new Row(name, params.toString(), score, error, unit, bytes, best));
            }
        }
        return rows;
    }

    static String markdown(List<Row> rows, String command) {
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | params | score | ± | best iteration | allocated | vs alternative |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %.2f %s | %.2f | %.2f | %s | %s |%n", r.name(),
                    r.params(), r.score(), r.unit(), r.error(), r.best(), Double.isNaN(r.bytesPerOp()) ? "-"
                            : String.format(Locale.ROOT, "%.1f B/op", r.bytesPerOp()), ratio(r, rows)));
        }
        out.append("\nvs alternative: for the breakers, throughput over Resilience4j's at the same thread count; for the "
                + "HTTP/1.1 codec, Netty's best iteration over ours for the same input (above 1× is faster than Netty: "
                + "on a shared machine the best iteration is the one least disturbed by other processes).\n");
        out.append("\nCommand: `").append(command).append("`\n");
        return out.toString();
    }

    /**
     * For a breaker benchmark, its throughput over Resilience4j's at the same thread count; for a codec
     * benchmark's row other than Netty's, Netty's time for the same input over its own.
     */
    private static String ratio(Row row, List<Row> rows) {
        if (row.name().startsWith("Http1") && !row.params().contains("=NETTY") && !row.params().contains("=NONE")) {
            String netty = row.params().replaceAll("(decoder|encoder|codec)=[A-Z_]+", "$1=NETTY");
            return rows.stream().filter(r -> r.name().equals(row.name()) && r.params().equals(netty)).findFirst()
                    .map(r -> String.format(Locale.ROOT, "%.2f×", r.best() / row.best())).orElse("");
        }
        if (!row.name().startsWith("CircuitBreakerBenchmark.")) {
            return "";
        }
        String threads = row.name().replaceAll(".*?(\\d+Threads?)$", "$1");
        return rows.stream().filter(r -> r.name().equals("CircuitBreakerBenchmark.resilience4j" + threads))
                .findFirst().map(r -> String.format(Locale.ROOT, "%.1f×", row.score() / r.score())).orElse("");
    }
}
