package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A benchmark backend's access log ({@code bench/peers/backend-nginx.conf}: {@code $msec $status $request_uri},
 * every request but {@code /health}): what reached the backend, when, and how it was answered.
 */
final class AccessLog {

    /** One logged request: when it ended (epoch ms), its status and its path. */
    record Entry(long atMillis, int status, String path) {
    }

    private AccessLog() {
    }

    /** The requests {@code log} holds that ended at or after {@code fromMillis} (epoch ms); none if it is missing. */
    static List<Entry> since(Path log, long fromMillis) {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.map(AccessLog::parse).filter(Objects::nonNull).filter(e -> e.atMillis() >= fromMillis).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 1764591234.567 500 /broken}; null for a line that is not one (a line cut short while written). */
    static Entry parse(String line) {
        String[] f = line.split(" ");
        if (f.length < 2 || f[0].indexOf('.') < 0 || !f[1].matches("\\d{3}")) {
            return null;
        }
        String[] time = f[0].split("\\.");
        if (time.length != 2 || !time[0].matches("\\d+") || !time[1].matches("\\d{3}")) {
            return null;
        }
        long millis = Long.parseLong(time[0]) * 1000 + Long.parseLong(time[1]);
        return new Entry(millis, Integer.parseInt(f[1]), f.length >= 3 ? f[2] : "");
    }
}
