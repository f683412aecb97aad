package io.healthyproxy.bench.scenario;

import io.healthyproxy.testkit.load.LoadResult;
import java.time.Duration;
import java.util.List;

/**
 * Who was blamed, and what the clients saw, in one failure run: the backends taken out of rotation, and for the
 * broken endpoint ({@link Scenario#BROKEN_PATH}) while the fault lasts and for every other path over the whole
 * run, the requests, the 500s and other errors clients got, and the tries the backends logged. The tries beyond
 * one per request are the proxy's retries, hedges and second opinions that reached a backend.
 */
record Blame(Paths broken, Paths others, Ejections ejections) {

    /**
     * The fault's time in a run that began at {@code originNanos} (the load's clock) and {@code originMillis}
     * (the wall clock the backends log in): {@code [from, to)} after the start.
     */
    record During(long originNanos, long originMillis, Duration from, Duration to) {

        boolean contains(LoadResult r) {
            long at = r.dueAtNanos() - originNanos;
            return at >= from.toNanos() && at < to.toNanos();
        }

        boolean contains(AccessLog.Entry e) {
            long at = e.atMillis() - originMillis;
            return at >= from.toMillis() && at < to.toMillis();
        }
    }

    /** One group of paths over a measured run. */
    record Paths(long requests, long client500s, long errors, long backendTries) {

        long extraTries() {
            return backendTries - requests;
        }

        double extraTriesPerRequest() {
            return requests == 0 ? 0 : (double) extraTries() / requests;
        }
    }

    /**
     * {@code results}: the clients' view; {@code tries}: what every backend logged over the same run; the broken
     * endpoint counted {@code during} the fault (outside it, that path is as fine as any).
     */
    static Blame of(List<LoadResult> results, List<AccessLog.Entry> tries, Ejections ejections, During during) {
        return new Blame(paths(results.stream().filter(during::contains).toList(),
                tries.stream().filter(during::contains).toList(), true), paths(results, tries, false), ejections);
    }

    long client500s() {
        return broken.client500s() + others.client500s();
    }

    long extraTries() {
        return broken.extraTries() + others.extraTries();
    }

    private static Paths paths(List<LoadResult> results, List<AccessLog.Entry> tries, boolean broken) {
        List<LoadResult> mine = results.stream().filter(r -> Scenario.BROKEN_PATH.equals(r.path()) == broken).toList();
        return new Paths(mine.size(), mine.stream().filter(r -> r.status() == 500).count(),
                mine.stream().filter(r -> !r.ok()).count(),
                tries.stream().filter(t -> Scenario.BROKEN_PATH.equals(t.path()) == broken).count());
    }
}
