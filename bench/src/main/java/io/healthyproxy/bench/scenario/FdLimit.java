package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The open-files limit this runner (and every process it starts) has: {@code bench/run-scenarios} raises it as
 * far as it may, which on a machine without {@code CAP_SYS_RESOURCE} is the hard limit. It bounds the idle
 * connections scenario: the runner holds one descriptor per connection and HAProxy reserves two.
 */
final class FdLimit {

    private static final int ASSUMED = 1024;

    private FdLimit() {
    }

    static int soft() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String value = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return value.equals("unlimited") ? 1 << 20 : Integer.parseInt(value);
                }
            }
        } catch (IOException | RuntimeException e) {
            return ASSUMED;
        }
        return ASSUMED;
    }

    /** HAProxy's {@code maxconn}: what the limit allows at 2 descriptors a connection, less some for itself. */
    static int haproxyMaxconn() {
        return Math.max(500, (soft() - 100) / 2);
    }

    /** At most {@code wanted} idle connections: as many as every proxy can hold under the limit. */
    static int idleConnections(int wanted) {
        return Math.min(wanted, haproxyMaxconn() - 50);
    }
}
