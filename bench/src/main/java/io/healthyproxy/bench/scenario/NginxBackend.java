package io.healthyproxy.bench.scenario;

import io.healthyproxy.testkit.PortReservation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One benchmark backend: a single NGINX process on 127.0.0.1 answering tiny responses, which the scenarios
 * kill and restart, freeze (SIGSTOP) and thaw, or make answer 500 on {@code /} (or on {@code /broken}) while
 * {@code /health} stays 200.
 * Its port is reserved from construction to {@link #stop()}, so that nothing else takes it while NGINX is down
 * between a kill and a restart (NGINX listens beside the reservation with {@code reuseport}).
 */
final class NginxBackend {

    final String name;
    final int port;
    /** Ports it listens on besides {@link #port}, each reserved like it. */
    final List<Integer> extraPorts;
    private final List<PortReservation> reservations;
    private final Workspace work;
    private final ManagedProcess process;

    NginxBackend(Workspace work, String name) {
        this(work, name, 0);
    }

    /** A backend listening on {@code extra} more ports than one, every port serving the same. */
    NginxBackend(Workspace work, String name, int extra) {
        this.work = work;
        this.name = name;
        this.reservations = new ArrayList<>();
        for (int i = 0; i <= extra; i++) {
            reservations.add(PortReservation.any());
        }
        this.port = reservations.get(0).port();
        this.extraPorts = reservations.stream().skip(1).map(PortReservation::port).toList();
        String listens = extraPorts.stream().map(p -> "        listen 127.0.0.1:" + p + " reuseport;")
                .collect(Collectors.joining("\n"));
        Path config = work.render("backend-nginx.conf", name + ".conf", Map.of("NAME", name, "PORT", Integer.toString(port),
                "EXTRA_LISTENS", listens, "BIG_DIR", BigBody.DIR.toString()));
        this.process = new ManagedProcess(name, List.of("nginx", "-c", config.toString(), "-p", work.dir.toString(),
                "-e", work.file(name + ".error.log").toString()), work.file(name + ".out.log"));
    }

    void start() throws InterruptedException {
        fix();
        fixEndpoint();
        process.start();
        Readiness.awaitPort(port, name);
    }

    /** SIGKILL: connections reset, new ones refused. */
    void crash() throws InterruptedException {
        process.kill();
    }

    void restart() throws InterruptedException {
        process.start();
        Readiness.awaitPort(port, name);
    }

    /** SIGSTOP: the kernel still accepts connections; nothing answers. */
    void freeze() throws InterruptedException {
        process.signal("STOP");
    }

    void thaw() throws InterruptedException {
        process.signal("CONT");
    }

    void failWith500() {
        flag(name + ".fail", true);
    }

    void fix() {
        flag(name + ".fail", false);
    }

    /** {@link Scenario#BROKEN_PATH} answers 500 (the broken-endpoint scenario does this to every backend). */
    void breakEndpoint() {
        flag(name + ".broken", true);
    }

    void fixEndpoint() {
        flag(name + ".broken", false);
    }

    private void flag(String file, boolean set) {
        try {
            if (set) {
                Files.writeString(work.file(file), "1");
            } else {
                Files.deleteIfExists(work.file(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request but /health and /big/, one line each: {@code <epoch seconds.millis> <status> <path>} ({@link AccessLog}). */
    Path accessLog() {
        return work.file(name + ".access.log");
    }

    void stop() throws InterruptedException {
        process.stop();
        reservations.forEach(PortReservation::close);
    }

    /** Requests to paths other than /health logged since {@code fromMillis} (epoch ms), all or only 500s. */
    long requestsSince(long fromMillis, boolean only500) {
        return AccessLog.since(accessLog(), fromMillis).stream().filter(e -> !only500 || e.status() == 500).count();
    }
}
