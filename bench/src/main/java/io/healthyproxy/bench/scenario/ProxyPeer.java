package io.healthyproxy.bench.scenario;

import java.util.List;
import java.util.Map;

/**
 * A load balancer under test, in front of the three backends: HAProxy, NGINX, or HealthyProxy. Each runs as
 * its own process from its config in {@code bench/peers}.
 */
final class ProxyPeer {

    /** The peers, in the order reports list them. */
    enum Kind {
        HAPROXY("HAProxy"), NGINX("NGINX"), HEALTHY_PROXY("HealthyProxy");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    final Kind kind;
    final int port;
    private final ManagedProcess process;

    private ProxyPeer(Kind kind, int port, ManagedProcess process) {
        this.kind = kind;
        this.port = port;
        this.process = process;
    }

    static ProxyPeer of(Kind kind, Workspace work, List<NginxBackend> backends) {
        int port = Workspace.freePort();
        Map<String, String> values = Map.of("LISTEN_PORT", Integer.toString(port),
                "ADMIN_PORT", Integer.toString(Workspace.freePort()),
                "BACKEND_1", Integer.toString(backends.get(0).port),
                "BACKEND_2", Integer.toString(backends.get(1).port),
                "BACKEND_3", Integer.toString(backends.get(2).port));
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        List<String> command = switch (kind) {
            case HAPROXY -> List.of("haproxy", "-db", "-f", work.render("haproxy.cfg", name + ".cfg", values).toString());
            case NGINX -> List.of("nginx", "-c", work.render("nginx-lb.conf", name + ".conf", values).toString(),
                    "-p", work.dir.toString(), "-e", work.file(name + ".error.log").toString());
            case HEALTHY_PROXY -> List.of("java", "-Xms512m", "-Xmx512m", "-jar",
                    work.root.resolve("app/target/healthy-proxy.jar").toString(), "serve", "--config",
                    work.render("healthy-proxy.yaml", name + ".yaml", values).toString());
        };
        return new ProxyPeer(kind, port, new ManagedProcess(kind.label, command, work.file(name + ".out.log")));
    }

    void start() throws InterruptedException {
        process.start();
        Readiness.awaitServing(port, kind.label);
    }

    void stop() throws InterruptedException {
        process.stop();
    }

    String label() {
        return kind.label;
    }
}
