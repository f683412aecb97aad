package io.healthyproxy.bench.scenario;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What HealthyProxy's log says its backends went through: circuits opened, ejections for slowness, health
 * checks failing (the lines of {@code TransitionLog}). With healthy backends under a steady load all three must
 * be zero: a circuit that opens in the throughput benchmark is a bug in the proxy (or a backend that really
 * failed), and the benchmark says so.
 */
record CircuitLog(int circuitsOpened, int ejections, int unhealthy) {

    private static final Pattern OPENED = Pattern.compile(": circuit [a-z_]+ → open ");
    private static final Pattern EJECTED = Pattern.compile(": ejected for ");
    private static final Pattern UNHEALTHY = Pattern.compile(": unhealthy after ");

    static CircuitLog of(String log) {
        return new CircuitLog(count(OPENED, log), count(EJECTED, log), count(UNHEALTHY, log));
    }

    boolean quiet() {
        return circuitsOpened == 0 && ejections == 0 && unhealthy == 0;
    }

    @Override
    public String toString() {
        return circuitsOpened + " circuit openings, " + ejections + " ejections, " + unhealthy + " health flips to unhealthy";
    }

    private static int count(Pattern pattern, String log) {
        Matcher m = pattern.matcher(log);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
