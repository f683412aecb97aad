package io.healthyproxy.bench.scenario;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NGINX's ejections, from its error log: a worker that takes a server out ({@code max_fails} failures within
 * {@code fail_timeout}) logs {@code upstream server temporarily disabled}, naming the server. NGINX has no other
 * record of it (its open-source edition has no status API for upstreams). Each worker keeps its own counts (no
 * shared {@code zone}), so one server taken out by both workers is two lines, and a worker may log a line for
 * each failure that comes while the server is already out.
 */
final class NginxErrorLog implements EjectionProbe {

    private static final Pattern DISABLED = Pattern.compile(
            "upstream server temporarily disabled.*upstream: \"http://127\\.0\\.0\\.1:(\\d+)");

    private final Path file;
    private final Map<Integer, String> backendByPort = new HashMap<>();
    private long from;

    NginxErrorLog(Path file, List<NginxBackend> backends) {
        this.file = file;
        backends.forEach(b -> backendByPort.put(b.port, b.name));
    }

    /** The error log {@code bench/peers/nginx-lb.conf} writes, whichever NGINX config runs. */
    static Path file(Workspace work) {
        return work.file("nginx-lb.error.log");
    }

    @Override
    public void start() {
        from = file.toFile().length();          // every NGINX run appends to the same file
    }

    @Override
    public Ejections since() {
        return Ejections.counted(disabled(file.toFile().exists() ? Readiness.tail(file, from) : "", backendByPort));
    }

    /** Per backend, the "temporarily disabled" lines in {@code log} that name its port. */
    static Map<String, Integer> disabled(String log, Map<Integer, String> backendByPort) {
        Map<String, Integer> times = new HashMap<>();
        Matcher m = DISABLED.matcher(log);
        while (m.find()) {
            times.merge(backendByPort.getOrDefault(Integer.parseInt(m.group(1)), "port " + m.group(1)), 1, Integer::sum);
        }
        return times;
    }
}
