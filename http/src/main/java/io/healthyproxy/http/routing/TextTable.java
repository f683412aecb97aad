package io.healthyproxy.http.routing;

import java.util.Map;

/**
 * A read-only hash table from strings to values that is looked up with a range of a longer string and a hash
 * the caller computed as it scanned: no substring, no allocation per lookup. Hosts are looked up ignoring
 * ASCII case (their keys are lower case), paths as they are.
 *
 * <p>Implementation notes: open addressing with linear probing at load factor 1/2 or less; each slot keeps the
 * key's hash, so a miss rarely compares characters. The hash of a key is whatever the caller's scan computes
 * over it ({@link #pathHash}, {@link #hostHash}); the table only spreads it.
 */
final class TextTable<V> {

    private final String[] keys;
    private final int[] hashes;
    private final Object[] values;
    private final int mask;

    private TextTable(int capacity) {
        keys = new String[capacity];
        hashes = new int[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }

    /** A table of {@code entries}, each key hashed by host or path rules. */
    static <V> TextTable<V> of(Map<String, V> entries, boolean hosts) {
        int capacity = Integer.highestOneBit(Math.max(2, entries.size()) * 2 - 1) << 1;
        TextTable<V> table = new TextTable<>(capacity);
        entries.forEach((key, value) -> table.put(key, hosts ? hostHash(key, 0, key.length()) : pathHash(key), value));
        return table;
    }

    /** {@code String.hashCode} of the path: what a scan from its start computes, prefix after prefix. */
    static int pathHash(String path) {
        return path.hashCode();
    }

    /**
     * The hash of {@code host[from, to)} lower-cased, computed from the end, so that a scan from the end has the
     * hash of every suffix on its way (a wildcard's domain is a suffix).
     */
    static int hostHash(String host, int from, int to) {
        int h = 0;
        for (int i = to - 1; i >= from; i--) {
            h = 31 * h + lower(host.charAt(i));
        }
        return h;
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private void put(String key, int hash, V value) {
        int slot = spread(hash) & mask;
        while (keys[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        hashes[slot] = hash;
        values[slot] = value;
    }

    /** The value of the key equal to {@code text[from, to)} (ignoring ASCII case if {@code ignoreCase}), or null. */
    @SuppressWarnings("unchecked")
    V get(String text, int from, int to, int hash, boolean ignoreCase) {
        int length = to - from;
        for (int slot = spread(hash) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            String key = keys[slot];
            if (hashes[slot] == hash && key.length() == length && equal(key, text, from, ignoreCase)) {
                return (V) values[slot];
            }
        }
        return null;
    }

    private static boolean equal(String key, String text, int from, boolean ignoreCase) {
        if (!ignoreCase) {
            return key.regionMatches(0, text, from, key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) != lower(text.charAt(from + i))) {
                return false;
            }
        }
        return true;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
