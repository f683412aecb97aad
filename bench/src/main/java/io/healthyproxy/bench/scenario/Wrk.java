package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Closed-loop throughput with wrk: keep-alive connections, tiny responses, as fast as they come. */
final class Wrk {

    /** One wrk run's figures. */
    record Result(double requestsPerSecond, long requests, double p50Ms, double p99Ms, long errors) {
    }

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private Wrk() {
    }

    static Result run(int port, int connections, Duration duration) throws InterruptedException {
        String output;
        try {
            Process p = new ProcessBuilder(List.of("wrk", "-t1", "-c" + connections, "-d" + duration.toSeconds() + "s",
                    "--latency", "http://127.0.0.1:" + port + "/")).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(output);
    }

    static Result parse(String output) {
        Matcher rate = RATE.matcher(output);
        if (!rate.find()) {
            throw new IllegalStateException("wrk printed no rate:\n" + output);
        }
        double p50 = 0;
        double p99 = 0;
        Matcher m = PERCENTILE.matcher(output);
        while (m.find()) {
            double value = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
                case "us" -> 0.001;
                case "s" -> 1000;
                default -> 1;
            };
            if (m.group(1).equals("50")) {
                p50 = value;
            } else {
                p99 = value;
            }
        }
        long errors = 0;
        Matcher e = ERRORS.matcher(output);
        if (e.find()) {
            errors += Long.parseLong(e.group(1));
        }
        Matcher s = SOCKET_ERRORS.matcher(output);
        if (s.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(s.group(i));
            }
        }
        Matcher requests = REQUESTS.matcher(output);
        return new Result(Double.parseDouble(rate.group(1)), requests.find() ? Long.parseLong(requests.group(1)) : 0, p50,
                p99, errors);
    }
}
