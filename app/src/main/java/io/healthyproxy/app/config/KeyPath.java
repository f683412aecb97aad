package io.healthyproxy.app.config;

import java.util.Arrays;
import java.util.List;

/**
 * Where a value sits in the file, as users write it in messages: {@code breaker.failureRate.window},
 * {@code backends[1].address}. The root is the empty path, shown as {@code top level}.
 *
 * <p>The config classes name their fields in their own messages, some relative to themselves
 * ({@code successThreshold: 2 (expected: ...)}), some from the top ({@code timeouts.perTry: 2s (...)}).
 * {@link #join} turns either into the full path by overlapping the end of this path with the start of the name.
 */
record KeyPath(String text) {

    static final KeyPath ROOT = new KeyPath("");

    KeyPath child(String key) {
        return new KeyPath(text.isEmpty() ? key : text + "." + key);
    }

    KeyPath element(int index) {
        return new KeyPath(text + "[" + index + "]");
    }

    boolean isRoot() {
        return text.isEmpty();
    }

    /**
     * The full path of {@code name}, a dotted name a config class used for a field of the section at this path:
     * {@code breaker} joined with {@code successThreshold} is {@code breaker.successThreshold}, and
     * {@code timeouts} joined with {@code timeouts.perTry} is {@code timeouts.perTry}.
     */
    KeyPath join(String name) {
        List<String> below = below(name);
        KeyPath joined = this;
        for (String key : below) {
            joined = joined.child(key);
        }
        return joined;
    }

    /** The keys of {@code name} below this path: {@code [perTry]} for {@code timeouts.perTry} under {@code timeouts}. */
    List<String> below(String name) {
        List<String> mine = isRoot() ? List.of() : Arrays.asList(text.split("\\."));
        List<String> theirs = Arrays.asList(name.split("\\."));
        for (int overlap = Math.min(mine.size(), theirs.size()); overlap > 0; overlap--) {
            if (mine.subList(mine.size() - overlap, mine.size()).equals(theirs.subList(0, overlap))) {
                return theirs.subList(overlap, theirs.size());
            }
        }
        return theirs;
    }

    @Override
    public String toString() {
        return isRoot() ? "top level" : text;
    }
}
