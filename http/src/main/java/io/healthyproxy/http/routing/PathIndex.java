package io.healthyproxy.http.routing;

import io.healthyproxy.http.config.PathMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The routes of one host bucket, by path: those for any path, those for one exact path, and those for a prefix,
 * each kept in config order.
 *
 * <p>Implementation notes: a path has few places where a prefix can end on a segment boundary: before each
 * {@code /} (prefixes such as {@code /v1}), after it ({@code /v1/}), and at its end. One scan from the start
 * computes the hash of the path so far ({@code String.hashCode}, built up character by character) and looks
 * the prefix up at those places only, and only for lengths some prefix has; a lookup is one probe of an
 * open-addressing table without a substring. The exact path is one more lookup at the end. The scan stops at
 * the longest prefix there is.
 */
final class PathIndex<R> {

    private final RouteEntry<R>[] anyPath;
    private final TextTable<RouteEntry<R>[]> exact;
    private final TextTable<RouteEntry<R>[]> prefixes;
    /** Bit {@code min(length, 63)} is set when some exact path / prefix has that length. */
    private final long exactLengths;
    private final long prefixLengths;
    private final int longestPrefix;
    /** The lowest position of any route here: a bucket that cannot beat the best so far is skipped. */
    final int firstPosition;

    private PathIndex(Builder<R> b) {
        anyPath = array(b.anyPath);
        exact = TextTable.of(arrays(b.exact), false);
        prefixes = TextTable.of(arrays(b.prefixes), false);
        long lengths = 0;
        for (String path : b.exact.keySet()) {
            lengths |= lengthBit(path.length());
        }
        exactLengths = lengths;
        lengths = 0;
        int longest = 0;
        for (String prefix : b.prefixes.keySet()) {
            lengths |= lengthBit(prefix.length());
            longest = Math.max(longest, prefix.length());
        }
        prefixLengths = lengths;
        longestPrefix = longest;
        firstPosition = b.firstPosition;
    }

    /**
     * The route of lowest position, below {@code bound}, that matches {@code path[0, end)} and the method and
     * headers; null if none.
     */
    RouteEntry<R> first(String path, int end, String method, Function<String, String> headers, int bound) {
        if (firstPosition >= bound) {
            return null;
        }
        RouteEntry<R> best = RouteEntry.first(anyPath, bound, method, headers);
        if (best != null) {
            bound = best.position;
        }
        int h = 0;
        for (int i = 0; i < end; i++) {
            if (i > longestPrefix && exactLengths == 0) {
                return best;
            }
            char c = path.charAt(i);
            if (c == '/' && i <= longestPrefix) {
                if (i > 0 && hasLength(prefixLengths, i)) {
                    best = better(best, prefixes.get(path, 0, i, h, false), bound, method, headers);
                    bound = best == null ? bound : best.position;
                }
                h = 31 * h + c;
                if (i < longestPrefix && hasLength(prefixLengths, i + 1)) {
                    best = better(best, prefixes.get(path, 0, i + 1, h, false), bound, method, headers);
                    bound = best == null ? bound : best.position;
                }
            } else {
                h = 31 * h + c;
            }
        }
        if (end > 0 && path.charAt(end - 1) != '/' && hasLength(prefixLengths, end)) {
            best = better(best, prefixes.get(path, 0, end, h, false), bound, method, headers);
            bound = best == null ? bound : best.position;
        }
        if (hasLength(exactLengths, end)) {
            best = better(best, exact.get(path, 0, end, h, false), bound, method, headers);
        }
        return best;
    }

    private static <R> RouteEntry<R> better(RouteEntry<R> best, RouteEntry<R>[] candidates, int bound, String method,
            Function<String, String> headers) {
        if (candidates == null) {
            return best;
        }
        RouteEntry<R> found = RouteEntry.first(candidates, bound, method, headers);
        return found != null ? found : best;
    }

    private static boolean hasLength(long lengths, int length) {
        return (lengths & lengthBit(length)) != 0;
    }

    private static long lengthBit(int length) {
        return 1L << Math.min(length, 63);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <R> RouteEntry<R>[] array(List<RouteEntry<R>> entries) {
        return entries.toArray(new RouteEntry[0]);
    }

    private static <R> Map<String, RouteEntry<R>[]> arrays(Map<String, List<RouteEntry<R>>> entries) {
        Map<String, RouteEntry<R>[]> result = new LinkedHashMap<>();
        entries.forEach((key, list) -> result.put(key, array(list)));
        return result;
    }

    /** Collects a bucket's routes; add them in position order. */
    static final class Builder<R> {
        private final List<RouteEntry<R>> anyPath = new ArrayList<>();
        private final Map<String, List<RouteEntry<R>>> exact = new LinkedHashMap<>();
        private final Map<String, List<RouteEntry<R>>> prefixes = new LinkedHashMap<>();
        private int firstPosition = Integer.MAX_VALUE;

        void add(PathMatch path, RouteEntry<R> entry) {
            firstPosition = Math.min(firstPosition, entry.position);
            switch (path.kind()) {
                case ANY -> anyPath.add(entry);
                case EXACT -> exact.computeIfAbsent(path.value(), p -> new ArrayList<>()).add(entry);
                case PREFIX -> prefixes.computeIfAbsent(path.value(), p -> new ArrayList<>()).add(entry);
            }
        }

        PathIndex<R> build() {
            return new PathIndex<>(this);
        }
    }
}
