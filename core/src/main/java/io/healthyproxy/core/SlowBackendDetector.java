package io.healthyproxy.core;

import io.healthyproxy.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Takes backends out of traffic that are far slower than their peers, and only those: slowness is judged
 * relative to the other backends of the same group ({@link SlownessConfig} says how), never against a fixed
 * latency, and it never counts as a failure on a circuit breaker. So load that slows every backend ejects
 * none — ejecting a healthy backend because the whole system is busy moves its load onto the others, which is
 * how cascades start — while a frozen backend, or one ten times slower than the rest, is out within a few
 * seconds.
 *
 * <p>The face calls {@link #evaluate()} every {@link SlownessConfig#interval()} (the HTTP proxy on an event
 * loop) and feeds every answer time to {@link Backend#recordLatency}.
 *
 * <pre>{@code
 * SlowBackendDetector detector = new SlowBackendDetector(SlownessConfig.DEFAULTS, pool::backends, ticker,
 *         (backend, ejection) -> log.warn("{} ejected: {}", backend.id(), ejection.reason()));
 * scheduler.scheduleEvery(config.interval(), detector::evaluate);
 * }</pre>
 *
 * <p>Thread-safe: {@link #evaluate()} is serialised; backends' latencies are recorded lock-free.
 */
public final class SlowBackendDetector {

    /** Hears of each ejection, after it took effect; must be quick and must not throw. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Told of each ejection, by the thread that evaluated.
         *
         * @param backend the backend ejected
         * @param ejection why and for how long
         */
        void onEjected(Backend backend, Ejection ejection);
    }

    private final SlownessConfig config;
    private final Supplier<? extends Collection<Backend>> backends;
    private final Ticker ticker;
    private final Listener listener;

    /**
     * @param config   when a backend is far slower than its peers
     * @param backends the backends to compare, read at each evaluation
     * @param ticker   the clock
     * @param listener told of each ejection
     */
    public SlowBackendDetector(SlownessConfig config, Supplier<? extends Collection<Backend>> backends, Ticker ticker,
            Listener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.backends = Objects.requireNonNull(backends, "backends");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** @return when a backend is ejected */
    public SlownessConfig config() {
        return config;
    }

    /** Compares the backends' recent answer times and ejects the ones far slower than their peers. */
    public synchronized void evaluate() {
        if (!config.enabled()) {
            return;
        }
        Collection<Backend> all = backends.get();
        int ejected = 0;
        List<Measured> judged = new ArrayList<>(all.size());
        for (Backend b : all) {
            if (b.isEjected()) {
                if (b.health().isHealthy() && b.breaker().admitsTraffic()) {
                    ejected++;                      // out for slowness alone: it counts against the cap
                }
            } else {
                long[] p50p90 = b.latencies().percentilesNanos(config.minRequests(), 0.5, 0.9);
                if (p50p90 != null) {
                    judged.add(new Measured(b, p50p90[0], p50p90[1]));
                }
            }
        }
        int room = Math.max(1, (int) (all.size() * config.maxEjectedShare())) - ejected;
        if (judged.size() < 2 || room <= 0) {
            return;
        }
        // Each backend's yardstick is the median p90 of the others. Sorting every p90 once and reading that
        // median from the sorted array without the backend's own value keeps this O(n log n): with 1,000
        // backends, sorting the peers afresh for each (O(n^2 log n)) held the event loop for tens of ms.
        long[] sorted = new long[judged.size()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = judged.get(i).p90;
        }
        Arrays.sort(sorted);
        List<Slow> slow = new ArrayList<>();
        for (Measured m : judged) {
            long yardstick = medianWithout(sorted, Arrays.binarySearch(sorted, m.p90));
            if (m.p50 > config.factor() * yardstick && m.p50 - yardstick > config.minExcess().toNanos()) {
                slow.add(new Slow(m, yardstick));
            }
        }
        slow.sort(Comparator.comparingDouble(Slow::ratio).reversed());
        for (Slow s : slow.subList(0, Math.min(room, slow.size()))) {
            eject(s);
        }
    }

    private void eject(Slow s) {
        Backend b = s.measured.backend;
        long now = ticker.read();
        Ejection last = b.lastEjection();
        Duration length = config.baseEjection();
        // Ejected again soon after the last one ended: twice as long, as breakers back off.
        if (last != null && now - last.untilNanos() < config.maxEjection().toNanos()) {
            length = last.length().multipliedBy(2);
            if (length.compareTo(config.maxEjection()) > 0) {
                length = config.maxEjection();
            }
        }
        Ejection ejection = new Ejection("slower than its peers: median " + millis(s.measured.p50)
                + " against their p90 of " + millis(s.yardstick), now + length.toNanos(), length);
        b.eject(ejection);
        listener.onEjected(b, ejection);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }

    /**
     * The median of {@code sorted} (ascending, at least two values) without the value at {@code skip}: the
     * array as if that element were not there. Which of several equal values is skipped does not matter.
     */
    static long medianWithout(long[] sorted, int skip) {
        int n = sorted.length - 1;
        return n % 2 == 1 ? at(sorted, skip, n / 2) : (at(sorted, skip, n / 2 - 1) + at(sorted, skip, n / 2)) / 2;
    }

    /** The {@code i}-th value of {@code sorted} with the element at {@code skip} left out. */
    private static long at(long[] sorted, int skip, int i) {
        return sorted[i < skip ? i : i + 1];
    }

    private record Measured(Backend backend, long p50, long p90) {
    }

    private record Slow(Measured measured, long yardstick) {
        double ratio() {
            return measured.p50 / (double) Math.max(1, yardstick);
        }
    }
}
