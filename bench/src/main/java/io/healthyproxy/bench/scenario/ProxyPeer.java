package io.healthyproxy.bench.scenario;

import io.healthyproxy.testkit.PortReservation;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A load balancer under test, in front of the three backends: HAProxy, NGINX, or HealthyProxy. Each runs as
 * its own process from its config in {@code bench/peers}.
 *
 * <p>Ports: a port found free here and written into a config could be taken before the process binds it. So
 * HAProxy's and NGINX's ports are reserved from {@link #of} to {@link #stop()} ({@link PortReservation}; both
 * listen beside the reservation with SO_REUSEPORT), and HealthyProxy, which does not set SO_REUSEPORT, binds
 * ports the kernel picks and says which in its log.
 */
final class ProxyPeer {

    /**
     * The peers, in the order reports list them. A peer's second config ({@link PeerVariants}: how it treats a
     * 500) is a kind of its own, measured in the failure scenarios only.
     */
    enum Kind {
        HAPROXY("HAProxy", Engine.HAPROXY),
        HAPROXY_ACTIVE_CHECKS("HAProxy, active checks only", Engine.HAPROXY),
        NGINX("NGINX", Engine.NGINX),
        NGINX_DEFAULT_RETRIES("NGINX, default proxy_next_upstream", Engine.NGINX),
        HEALTHY_PROXY("HealthyProxy", Engine.HEALTHY_PROXY);

        final String label;
        final Engine engine;

        Kind(String label, Engine engine) {
            this.label = label;
            this.engine = engine;
        }
    }

    /** The program a peer runs. */
    enum Engine {
        HAPROXY, NGINX, HEALTHY_PROXY
    }

    final Kind kind;
    private final ManagedProcess process;
    /** The port of a peer that listens beside a reservation; null for HealthyProxy. */
    private final PortReservation reservation;
    /** Where clients connect: known once {@link #start()} returns. */
    private int port;

    private ProxyPeer(Kind kind, PortReservation reservation, ManagedProcess process) {
        this.kind = kind;
        this.reservation = reservation;
        this.process = process;
    }

    static ProxyPeer of(Kind kind, Workspace work, List<NginxBackend> backends) {
        PortReservation reservation = kind == Kind.HEALTHY_PROXY ? null : PortReservation.any();
        Map<String, String> values = new HashMap<>(Map.of("LISTEN_PORT", Integer.toString(reservation == null ? 0 : reservation.port()),
                "ADMIN_PORT", "0",
                "BACKEND_1", Integer.toString(backends.get(0).port),
                "BACKEND_2", Integer.toString(backends.get(1).port),
                "BACKEND_3", Integer.toString(backends.get(2).port)));
        values.putAll(PeerVariants.templateValues(kind, work));
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        List<String> command = switch (kind.engine) {
            case HAPROXY -> List.of("haproxy", "-db", "-f", work.render("haproxy.cfg", name + ".cfg", values).toString());
            case NGINX -> List.of("nginx", "-c", work.render("nginx-lb.conf", name + ".conf", values).toString(),
                    "-p", work.dir.toString(), "-e", work.file(name + ".error.log").toString());
            case HEALTHY_PROXY -> List.of("java", "-Xms512m", "-Xmx512m", "-jar",
                    work.root.resolve("app/target/healthy-proxy.jar").toString(), "serve", "--config",
                    work.render("healthy-proxy.yaml", name + ".yaml", values).toString());
        };
        return new ProxyPeer(kind, reservation, new ManagedProcess(kind.label, command, work.file(name + ".out.log")));
    }

    void start() throws InterruptedException {
        long logBefore = process.log().toFile().length();       // the log file is appended to by every run
        process.start();
        port = reservation != null ? reservation.port() : Readiness.awaitListening(process.log(), logBefore, kind.label);
        Readiness.awaitServing(port, kind.label);
    }

    int port() {
        return port;
    }

    /** Its output, appended to by every run of this kind. */
    Path log() {
        return process.log();
    }

    void stop() throws InterruptedException {
        process.stop();
        if (reservation != null) {
            reservation.close();
        }
    }

    String label() {
        return kind.label;
    }
}
