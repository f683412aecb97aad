package io.healthyproxy.bench.scenario;

import io.healthyproxy.testkit.PortReservation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A load balancer under test, in front of the backends: HAProxy, NGINX, HealthyProxy, or one of the JVM peers
 * (Spring Cloud Gateway, Vert.x http-proxy, Armeria). Each runs as its own process from its config in
 * {@code bench/peers}; the JVM peers are small programs in {@code bench/peers/jvm}, built on first use
 * ({@link JvmPeers}). HealthyProxy runs through {@code bin/healthy-proxy serve}, so that the launcher's JVM
 * defaults are what is measured.
 *
 * <p>Ports: a port found free here and written into a config could be taken before the process binds it. So
 * HAProxy's and NGINX's ports are reserved from {@link #of} to {@link #stop()} ({@link PortReservation}; both
 * listen beside the reservation with SO_REUSEPORT), and HealthyProxy and the JVM peers, which do not set
 * SO_REUSEPORT, bind ports the kernel picks and say which in their log.
 */
final class ProxyPeer {

    /**
     * The peers, in the order reports list them. A peer's second config ({@link PeerVariants}: how it treats a
     * 500) is a kind of its own, measured in the failure scenarios only.
     */
    enum Kind {
        HAPROXY("HAProxy", Engine.HAPROXY, true),
        HAPROXY_ACTIVE_CHECKS("HAProxy, active checks only", Engine.HAPROXY, true),
        NGINX("NGINX", Engine.NGINX, true),
        NGINX_DEFAULT_RETRIES("NGINX, default proxy_next_upstream", Engine.NGINX, true),
        HEALTHY_PROXY("HealthyProxy", Engine.HEALTHY_PROXY, true),
        /** {@code serve --warm-up 0}: only where the warm-up shows, the start-up and warm-up-tail parts. */
        HEALTHY_PROXY_NO_WARM_UP("HealthyProxy, no warm-up", Engine.HEALTHY_PROXY, false),
        SCG("Spring Cloud Gateway", Engine.SCG, true),
        VERTX("Vert.x http-proxy", Engine.VERTX, false),
        ARMERIA("Armeria", Engine.ARMERIA, true);

        final String label;
        final Engine engine;
        /** Built from {@code bench/peers/jvm/<name>} on first use (minutes the first time). */
        final boolean jvmPeer;
        /** Has health checks and retries, so the failure scenarios measure something it does. */
        final boolean handlesFailures;

        Kind(String label, Engine engine, boolean handlesFailures) {
            this.label = label;
            this.engine = engine;
            this.jvmPeer = engine.jvm;
            this.handlesFailures = handlesFailures;
        }

        /** Its files' names in the workspace; for a JVM peer, also its project's in {@code bench/peers/jvm}. */
        String dirName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The program a peer runs; a peer's two configs run the same one. */
    enum Engine {
        HAPROXY(false), NGINX(false), HEALTHY_PROXY(false), SCG(true), VERTX(true), ARMERIA(true);

        final boolean jvm;

        Engine(boolean jvm) {
            this.jvm = jvm;
        }
    }

    final Kind kind;
    private final String label;
    private final ManagedProcess process;
    /** The port of a peer that listens beside a reservation; null for HealthyProxy and the JVM peers. */
    private final PortReservation reservation;
    /** Where clients connect: known once {@link #start()} returns. */
    private int port;
    /** Where this run's part of the log begins (the log file is appended to by every run). */
    private long logStart;

    private ProxyPeer(Kind kind, String label, PortReservation reservation, ManagedProcess process) {
        this.kind = kind;
        this.label = label;
        this.reservation = reservation;
        this.process = process;
    }

    /** {@code kind} in front of three backends, with the benchmark's config for it. */
    static ProxyPeer of(Kind kind, Workspace work, List<NginxBackend> backends) {
        return of(kind, work, backends.stream().map(b -> b.port).toList(), "");
    }

    /** {@code kind} in front of three backends on {@code backendPorts}; {@code variant} names its files apart. */
    static ProxyPeer of(Kind kind, Workspace work, List<Integer> backendPorts, String variant) {
        return of(kind, kind.label, work, backendPorts, variant, Map.of());
    }

    /**
     * HAProxy with its benchmark config in front of every backend on {@code backendPorts} (HAProxy's config lists
     * any number of servers; the others' take three), checking each with {@code checkTiming} (HAProxy's words:
     * {@code inter 5s fastinter 5s}); for the scale part, where it is the yardstick of what many backends cost.
     */
    static ProxyPeer haproxy(String label, Workspace work, List<Integer> backendPorts, String variant, String checkTiming) {
        // maxconn well below the descriptor limit: HAProxy counts a descriptor per server and check on top of two per
        // connection, and refuses to start with 1,000 servers at the limit the other parts use (the load here is 32).
        return of(Kind.HAPROXY, label, work, backendPorts, variant, Map.of("CHECK_TIMING", checkTiming, "MAXCONN", "2000",
                "STATS_SOCKET", work.file(Kind.HAPROXY.dirName() + variant + ".sock").toString()));
    }

    private static ProxyPeer of(Kind kind, String label, Workspace work, List<Integer> backendPorts, String variant,
            Map<String, String> overrides) {
        boolean reserved = kind.engine == Engine.HAPROXY || kind.engine == Engine.NGINX;
        PortReservation reservation = reserved ? PortReservation.any() : null;
        Map<String, String> values = new HashMap<>(Map.of("LISTEN_PORT", Integer.toString(reservation == null ? 0 : reservation.port()),
                "ADMIN_PORT", "0", "MAXCONN", Integer.toString(FdLimit.haproxyMaxconn()),
                "BACKEND_1", Integer.toString(backendPorts.get(0)),
                "BACKEND_2", Integer.toString(backendPorts.get(1)),
                "BACKEND_3", Integer.toString(backendPorts.get(2))));
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < backendPorts.size(); i++) {
            servers.append(i == 0 ? "" : "\n").append("    server b").append(i + 1).append(" 127.0.0.1:").append(backendPorts.get(i));
        }
        values.put("SERVERS", servers.toString());
        values.put("CHECK_TIMING", "inter 1s fastinter 500ms");
        values.putAll(PeerVariants.templateValues(kind, work));
        values.putAll(overrides);
        String name = kind.dirName() + variant;
        List<String> ports = backendPorts.stream().map(String::valueOf).toList();
        List<String> command = switch (kind.engine) {
            case HAPROXY -> List.of("haproxy", "-db", "-f", work.render("haproxy.cfg", name + ".cfg", values).toString());
            case NGINX -> List.of("nginx", "-c", work.render("nginx-lb.conf", name + ".conf", values).toString(),
                    "-p", work.dir.toString(), "-e", work.file(name + ".error.log").toString());
            case HEALTHY_PROXY -> concat(healthyProxyCommand(work.root, work.render("healthy-proxy.yaml", name + ".yaml",
                    values)), kind == Kind.HEALTHY_PROXY_NO_WARM_UP ? List.of("--warm-up", "0") : List.of());
            case SCG -> concat(List.of("java", "-jar", JvmPeers.jar(work.root, kind).toString(), "--port=0",
                    "--b1=" + ports.get(0), "--b2=" + ports.get(1), "--b3=" + ports.get(2)), List.of());
            case VERTX, ARMERIA -> concat(List.of("java", "-jar", JvmPeers.jar(work.root, kind).toString(), "0"), ports);
        };
        return new ProxyPeer(kind, label, reservation, new ManagedProcess(label, command, work.file(name + ".out.log")));
    }

    /**
     * HealthyProxy from the checkout at {@code root} with {@code config}, labelled {@code label}, with extra JVM
     * options in {@code HEALTHY_PROXY_OPTS} (for A/B runs of two builds or two sets of options).
     */
    static ProxyPeer healthyProxy(String label, Path root, Workspace work, Path config, String jvmOptions) {
        Map<String, String> env = jvmOptions.isBlank() ? Map.of() : Map.of("HEALTHY_PROXY_OPTS", jvmOptions);
        return new ProxyPeer(Kind.HEALTHY_PROXY, label, null, new ManagedProcess(label, healthyProxyCommand(root, config),
                work.file(label.replaceAll("[^A-Za-z0-9_.-]", "_") + ".out.log"), env));
    }

    private static List<String> healthyProxyCommand(Path root, Path config) {
        return List.of(root.resolve("bin/healthy-proxy").toString(), "serve", "--config", config.toString());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Starts the process and returns once it has served {@code GET /} three times in a row. */
    void start() throws InterruptedException {
        startProcess();
        awaitPort();
        Readiness.awaitServing(port, label);
    }

    /** Starts the process without waiting for it (for start-up timing); then {@link #awaitPort()}. */
    void startProcess() {
        logStart = process.log().toFile().length();
        process.start();
    }

    /** Until the port is known: at once for a reserved one, else when the process names it in its log. */
    int awaitPort() throws InterruptedException {
        return awaitPort(20);
    }

    int awaitPort(long pollMillis) throws InterruptedException {
        port = reservation != null ? reservation.port()
                : Readiness.awaitListening(process.log(), logStart, label, pollMillis);
        return port;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    ProcessStats stats() {
        return ProcessStats.of(process.pid());
    }

    /** Its output, appended to by every run of this kind. */
    Path log() {
        return process.log();
    }

    /** What the process has logged since {@link #start()}. */
    String logSinceStart() {
        return Readiness.tail(process.log(), logStart);
    }

    void stop() throws InterruptedException {
        process.stop();
        if (reservation != null) {
            reservation.close();
        }
    }

    String label() {
        return label;
    }
}
