package io.healthyproxy.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Closed-loop throughput of several proxies, all running, in alternating rounds: a warm-up for each, then
 * {@code rounds} rounds of wrk, each round visiting every proxy, each round starting one proxy later, so that
 * noise from the shared machine (other builds, CPU frequency) falls on all of them alike. Around each round the
 * proxy's CPU time (user + system, its whole process tree) is read from {@code /proc}: divided by the requests
 * wrk counted, it is the CPU cost of a request (and its user part); its RSS is read after the round.
 */
final class ThroughputRounds {

    /**
     * One proxy's round: wrk's figures, CPU microseconds per request (user + system) and the user part of it, and
     * RSS after the round.
     */
    record Measured(Wrk.Result wrk, double cpuMicrosPerRequest, double userMicrosPerRequest, double rssMiB) {
    }

    /**
     * A proxy's rounds summarised: the median round by rate, the median CPU per request and the median user part
     * (each the median of its own, so they need not come from one round), the last RSS.
     */
    record Summary(Wrk.Result median, double cpuMicrosPerRequest, double userMicrosPerRequest, double rssMiB,
            List<Measured> rounds) {

        static Summary of(List<Measured> rounds) {
            List<Measured> byRate = new ArrayList<>(rounds);
            byRate.sort(Comparator.comparingDouble(m -> m.wrk().requestsPerSecond()));
            return new Summary(byRate.get(byRate.size() / 2).wrk(), median(rounds, Measured::cpuMicrosPerRequest),
                    median(rounds, Measured::userMicrosPerRequest), rounds.get(rounds.size() - 1).rssMiB(),
                    List.copyOf(rounds));
        }

        private static double median(List<Measured> rounds, ToDoubleFunction<Measured> figure) {
            double[] sorted = rounds.stream().mapToDouble(figure).sorted().toArray();
            return sorted[sorted.length / 2];
        }

        double requestsPerSecond() {
            return median.requestsPerSecond();
        }
    }

    private ThroughputRounds() {
    }

    /** The rounds of each of {@code peers} (started), in the same order. Warm-up: two rounds' worth each. */
    static List<List<Measured>> run(List<ProxyPeer> peers, int rounds, Duration roundLength, int connections,
            Consumer<String> log) throws InterruptedException {
        List<List<Measured>> results = new ArrayList<>();
        for (ProxyPeer peer : peers) {
            // Long enough for the JVM's compilers to settle, the same for every peer.
            log.accept("warming up " + peer.label());
            Wrk.run(peer.port(), connections, roundLength.multipliedBy(2));
            results.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < peers.size(); i++) {
                order.add(i);
            }
            Collections.rotate(order, -round);
            for (int i : order) {
                ProxyPeer peer = peers.get(i);
                log.accept("throughput round " + (round + 1) + "/" + rounds + ": " + peer.label());
                results.get(i).add(measure(peer, connections, roundLength));
            }
        }
        return results;
    }

    static Measured measure(ProxyPeer peer, int connections, Duration roundLength) throws InterruptedException {
        ProcessStats before = peer.stats();
        Wrk.Result wrk = Wrk.run(peer.port(), connections, roundLength);
        ProcessStats after = peer.stats();
        ProcessStats spent = after.minus(before);
        double perRequest = wrk.requests() == 0 ? 0 : 1.0 / 1000.0 / wrk.requests();
        return new Measured(wrk, spent.cpuNanos() * perRequest, spent.userNanos() * perRequest, after.rssMiB());
    }
}
