package io.healthyproxy.bench.scenario;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The backends a proxy took out of rotation during a measured run, and how many times each (every proxy counts
 * in its own terms: {@link EjectionProbe}); or, where a proxy does not tell, why not.
 *
 * @param times    backend name → times taken out; empty for none
 * @param notKnown why the proxy cannot tell, or null when {@code times} is known
 * @param detail   what else the proxy told that explains the count (shown in brackets), or null
 */
record Ejections(Map<String, Integer> times, String notKnown, String detail) {

    Ejections {
        times = Map.copyOf(times);
    }

    static Ejections counted(Map<String, Integer> times) {
        return new Ejections(times, null, null);
    }

    static Ejections notKnown(String why) {
        return new Ejections(Map.of(), why, null);
    }

    Ejections withDetail(String detail) {
        return new Ejections(times, notKnown, detail);
    }

    /** How many distinct backends were taken out at least once; -1 when not known. */
    int backends() {
        return notKnown != null ? -1 : (int) times.values().stream().filter(n -> n > 0).count();
    }

    /** {@code none}, {@code b2 ×3}, {@code b1 ×1, b2 ×2}, or why it is not known; then the detail in brackets. */
    String describe() {
        if (notKnown != null) {
            return notKnown;
        }
        String counted = backends() == 0 ? "none" : new TreeMap<>(times).entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", "));
        return detail == null ? counted : counted + " (" + detail + ")";
    }
}
