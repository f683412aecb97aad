package io.healthyproxy.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One period of NGINX's smooth weighted round robin over a pool's backends, computed once per membership:
 * indexes into the backend array, each backend appearing as often as its weight (divided by the weights'
 * greatest common divisor), interleaved so that heavy backends get no bursts: weights 5, 1, 1 give
 * {@code a a b a c a a}, never {@code a a a a a b c}.
 *
 * <p>Implementation notes: NGINX, at each pick, adds every backend's weight to its running value, takes the
 * largest (the first on a tie) and takes the total weight off it. After {@code s} picks a backend's value is
 * {@code s·w − W·p}, {@code p} its picks so far, and after {@code W} picks every value is 0 again: the order is
 * periodic with period {@code W}. Backends of equal weight have parallel values, so among them the one with
 * the fewest picks (then the first) leads, and they take turns in array order; it is enough to compare one
 * leader per distinct weight. That makes a period {@code O(W·d)} for {@code d} distinct weights rather than
 * NGINX's {@code O(W·n)} per period: milliseconds for a thousand backends with a few distinct weights.
 */
final class SmoothWeightedOrder {

    private SmoothWeightedOrder() {
    }

    static int[] of(Backend[] backends) {
        if (backends.length == 0) {
            return new int[0];
        }
        int divisor = 0;
        for (Backend b : backends) {
            divisor = gcd(divisor, b.weight());
        }
        Map<Integer, List<Integer>> byWeight = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < backends.length; i++) {
            int weight = backends[i].weight() / divisor;
            byWeight.computeIfAbsent(weight, w -> new ArrayList<>()).add(i);
            total += weight;
        }
        int groups = byWeight.size();
        long[] weights = new long[groups];
        int[][] members = new int[groups][];
        int g = 0;
        for (Map.Entry<Integer, List<Integer>> group : byWeight.entrySet()) {
            weights[g] = group.getKey();
            members[g] = group.getValue().stream().mapToInt(Integer::intValue).toArray();
            g++;
        }
        long[] picks = new long[groups];
        int[] order = new int[Math.toIntExact(total)];
        for (int step = 1; step <= order.length; step++) {
            int best = -1;
            long bestValue = 0;
            int bestMember = 0;
            for (g = 0; g < groups; g++) {
                int[] group = members[g];
                int member = group[(int) (picks[g] % group.length)];
                long value = step * weights[g] - total * (picks[g] / group.length);
                if (best < 0 || value > bestValue || value == bestValue && member < bestMember) {
                    best = g;
                    bestValue = value;
                    bestMember = member;
                }
            }
            order[step - 1] = bestMember;
            picks[best]++;
        }
        return order;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
