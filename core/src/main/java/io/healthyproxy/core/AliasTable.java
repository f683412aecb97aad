package io.healthyproxy.core;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Vose's alias method: draws an index with probability proportional to its backend's weight in {@code O(1)},
 * from one random {@code long}, after an {@code O(n)} build per membership.
 *
 * <p>Implementation notes: each of the {@code n} columns holds a share of {@code 1/n} split between its own
 * index (up to its threshold) and one alias. The top 32 bits of the random number pick the column
 * (multiply-shift, no modulo bias worth the name for {@code n < 2^31}), the low 31 bits are compared with
 * the threshold, scaled to {@code 2^31}. Equal weights give every column its whole share.
 */
final class AliasTable {

    private static final double SCALE = 0x1p31;

    private final int[] threshold;
    private final int[] alias;

    private AliasTable(int[] threshold, int[] alias) {
        this.threshold = threshold;
        this.alias = alias;
    }

    static AliasTable of(Backend[] backends) {
        int n = backends.length;
        int[] threshold = new int[n];
        int[] alias = new int[n];
        double total = 0;
        for (Backend b : backends) {
            total += b.weight();
        }
        double[] scaled = new double[n];
        ArrayDeque<Integer> small = new ArrayDeque<>();
        ArrayDeque<Integer> large = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            scaled[i] = backends[i].weight() * n / total;
            (scaled[i] < 1.0 ? small : large).add(i);
        }
        while (!small.isEmpty() && !large.isEmpty()) {
            int less = small.poll();
            int more = large.poll();
            threshold[less] = (int) (scaled[less] * SCALE);
            alias[less] = more;
            scaled[more] -= 1.0 - scaled[less];
            (scaled[more] < 1.0 ? small : large).add(more);
        }
        // What is left holds a whole column (up to rounding): it is its own alias.
        for (ArrayDeque<Integer> rest : List.of(small, large)) {
            for (int i : rest) {
                threshold[i] = Integer.MAX_VALUE;
                alias[i] = i;
            }
        }
        return new AliasTable(threshold, alias);
    }


    /** An index drawn in proportion to weight, from 64 random bits. */
    int draw(long random) {
        int column = (int) (((random >>> 32) * threshold.length) >>> 32);
        return ((int) random & Integer.MAX_VALUE) < threshold[column] ? column : alias[column];
    }
}
