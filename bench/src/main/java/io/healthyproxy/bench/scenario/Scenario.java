package io.healthyproxy.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The failure scenarios: what happens to backend b2 (or, in the broken-endpoint one, to one path on every
 * backend), and when, during a run of {@link #LENGTH} (times scale with a shorter run, for the smoke test).
 */
enum Scenario {
    KILL("(a) b2 killed (SIGKILL) at 5 s, restarted at 15 s"),
    FREEZE("(b) b2 frozen (SIGSTOP) at 5 s for 6 s"),
    SERVER_ERRORS("(c) b2 answers 500 on / from 5 s to 20 s, /health stays 200"),
    FLAPPING("(d) b2 flapping: killed and restarted every second from 5 s to 25 s"),
    BROKEN_ENDPOINT("(e) an endpoint broken everywhere: /broken (1 request in 10) answers 500 on every backend from "
            + "5 s to 20 s, other paths fine");

    static final Duration LENGTH = Duration.ofSeconds(30);
    /** The path {@link #BROKEN_ENDPOINT} breaks on every backend. */
    static final String BROKEN_PATH = "/broken";
    /** In {@link #BROKEN_ENDPOINT}, every {@code BROKEN_SHARE}-th request goes to {@link #BROKEN_PATH}. */
    static final int BROKEN_SHARE = 10;

    /** Something done to a backend (b2, or every backend) at a time after the measured run started. */
    record Fault(Duration at, String what, Action action, boolean everyBackend) {
    }

    @FunctionalInterface
    interface Action {
        void apply(NginxBackend backend) throws InterruptedException;
    }

    final String description;

    Scenario(String description) {
        this.description = description;
    }

    /** The faults of a run of {@code length}, in time order. */
    List<Fault> faults(Duration length) {
        double scale = length.toNanos() / (double) LENGTH.toNanos();
        List<Fault> faults = new ArrayList<>();
        switch (this) {
            case KILL -> {
                faults.add(fault(5, scale, "kill", NginxBackend::crash));
                faults.add(fault(15, scale, "restart", NginxBackend::restart));
            }
            case FREEZE -> {
                faults.add(fault(5, scale, "freeze", NginxBackend::freeze));
                faults.add(fault(11, scale, "thaw", NginxBackend::thaw));
            }
            case SERVER_ERRORS -> {
                faults.add(fault(5, scale, "answer 500", NginxBackend::failWith500));
                faults.add(fault(20, scale, "fix", b -> b.fix()));
            }
            case FLAPPING -> {
                for (int second = 5; second < 25; second += 2) {
                    faults.add(fault(second, scale, "kill", NginxBackend::crash));
                    faults.add(fault(second + 1, scale, "restart", NginxBackend::restart));
                }
            }
            case BROKEN_ENDPOINT -> {
                faults.add(everywhere(fault(5, scale, "break " + BROKEN_PATH + " on", NginxBackend::breakEndpoint)));
                faults.add(everywhere(fault(20, scale, "fix " + BROKEN_PATH + " on", NginxBackend::fixEndpoint)));
            }
        }
        return faults;
    }

    /** The path of the load's n-th request: one in {@link #BROKEN_SHARE} to {@link #BROKEN_PATH} in (e), else /. */
    LongFunction<String> paths() {
        return this == BROKEN_ENDPOINT ? n -> n % BROKEN_SHARE == BROKEN_SHARE - 1 ? BROKEN_PATH : "/" : n -> "/";
    }

    /** When the last fault strikes (a repair, for every scenario but flapping, whose last is a restart). */
    Duration faultEnd(Duration length) {
        List<Fault> faults = faults(length);
        return faults.get(faults.size() - 1).at();
    }

    /** When the first fault strikes. */
    Duration faultStart(Duration length) {
        return faults(length).get(0).at();
    }

    /** Whether "reached b2" should count only its 500 answers (the requests it wasted). */
    boolean countsOnly500s() {
        return this == SERVER_ERRORS;
    }

    private static Fault fault(double seconds, double scale, String what, Action action) {
        return new Fault(Duration.ofNanos((long) (seconds * scale * 1e9)), what, action, false);
    }

    private static Fault everywhere(Fault f) {
        return new Fault(f.at(), f.what(), f.action(), true);
    }
}
