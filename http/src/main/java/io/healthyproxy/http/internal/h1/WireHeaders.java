package io.healthyproxy.http.internal.h1;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * Header fields that keep the bytes they were read as: the decoders' {@link HttpHeaders}, in place of Netty's
 * {@code DefaultHttpHeaders}. A decoded value stays a span of the head's bytes until someone asks for it (most
 * are never looked at: a proxy reads Host, Connection and a few more, and forwards the rest), and
 * {@link RequestEncoder} copies such spans to the wire as they are, unchecked, since the decoder checked them.
 *
 * <p>Behaves as {@code DefaultHttpHeaders} does to its callers: names are case-insensitive, order is kept,
 * {@code set} replaces every field of the name with one at the end, values are Strings (ISO-8859-1, one char
 * per byte) when asked for as Strings. It does not validate what callers add (neither do the decoders'
 * Netty headers, validation off); the encoder refuses what would break the framing.
 *
 * <p>Implementation notes: parallel arrays (names, values, and the ints of each field in a row), searched
 * linearly: a head has a dozen fields, so a scan comparing the cached case-insensitive hash beats a hash table,
 * and costs no entry object per field. A value is a {@link CharSequence} in {@code values}, or null while it is
 * only a span (start, length) of {@code wire}; the first look makes it an {@link AsciiString} over those bytes
 * (no copy). Not thread-safe, like Netty's headers.
 */
public final class WireHeaders extends HttpHeaders {

    private static final int HASH = 0;
    private static final int START = 1;
    private static final int LENGTH = 2;
    private static final int LINE_START = 3;
    private static final int INTS = 4;

    private final byte[] wire;
    private CharSequence[] names;
    private CharSequence[] values;
    /**
     * Per field, {@value #INTS} ints in a row (one array for all four: a head is decoded per request, each array is
     * an allocation): the name's case-insensitive hash; where a value read from the wire starts, or -1 for one a
     * caller added; its length; where the line of a field read from the wire starts (its name).
     */
    private int[] ints;
    private int size;

    /** Empty headers, to be filled by a caller. */
    public WireHeaders() {
        this(null, 8);
    }

    WireHeaders(byte[] wire, int capacity) {
        this.wire = wire;
        this.names = new CharSequence[capacity];
        this.values = new CharSequence[capacity];
        this.ints = new int[capacity * INTS];
    }

    // ---- what the decoders and the encoder use --------------------------------------------------------------

    /**
     * Adds a field read from the wire: its name (a validated token, whose line starts at {@code lineStart})
     * and the span of its value.
     */
    void addWire(AsciiString name, int lineStart, int valueStart, int valueLength) {
        int i = append(name, null);
        ints[i * INTS + START] = valueStart;
        ints[i * INTS + LENGTH] = valueLength;
        ints[i * INTS + LINE_START] = lineStart;
    }

    byte[] wire() {
        return wire;
    }

    CharSequence nameAt(int i) {
        return names[i];
    }

    /** Whether field {@code i} is still as read: its bytes are {@code wire[startAt(i), + lengthAt(i))}. */
    boolean isWire(int i) {
        return startAt(i) >= 0;
    }

    int startAt(int i) {
        return ints[i * INTS + START];
    }

    int lengthAt(int i) {
        return ints[i * INTS + LENGTH];
    }

    /** Where the line of wire field {@code i} starts. */
    int lineStartAt(int i) {
        return ints[i * INTS + LINE_START];
    }

    /** Where the line of wire field {@code i} ends: after its LF (past any whitespace after the value). */
    int lineEndAt(int i) {
        int at = startAt(i) + lengthAt(i);
        while (wire[at] != '\n') {
            at++;
        }
        return at + 1;
    }

    CharSequence valueAt(int i) {
        CharSequence v = values[i];
        if (v == null) {
            v = lengthAt(i) == 0 ? AsciiString.EMPTY_STRING : new AsciiString(wire, startAt(i), lengthAt(i), false);
            values[i] = v;
        }
        return v;
    }

    // ---- reading -----------------------------------------------------------------------------------------

    private int indexOf(CharSequence name, int from) {
        int hash = AsciiString.hashCode(name);
        for (int i = from; i < size; i++) {
            if (ints[i * INTS + HASH] == hash && AsciiString.contentEqualsIgnoreCase(names[i], name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : valueAt(i).toString();
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        // Most names asked for are absent or once there: no list built for those (the lists are read-only, as
        // Netty's empty headers' are; no caller changes them).
        int first = indexOf(name, 0);
        if (first < 0) {
            return List.of();
        }
        int second = indexOf(name, first + 1);
        if (second < 0) {
            return List.of(valueAt(first).toString());
        }
        List<String> all = new ArrayList<>(4);
        for (int i = first; i >= 0; i = indexOf(name, i + 1)) {
            all.add(valueAt(i).toString());
        }
        return all;
    }

    /**
     * Whether a field {@code name} lists {@code value} among its comma-separated elements (each trimmed of spaces
     * and control characters), as Netty's {@code HttpHeaders.containsValue} answers, but comparing a value read
     * from the wire in place instead of wrapping it first: it is asked on every message ({@code Connection: close}?).
     */
    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (!isWire(i)) {
                return super.containsValue(name, value, ignoreCase);   // a value a caller added: Netty's reading, rare
            }
            if (listsElement(wire, startAt(i), startAt(i) + lengthAt(i), value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code bytes[from, to)}, split at commas, each part trimmed, holds {@code element}. */
    private static boolean listsElement(byte[] bytes, int from, int to, CharSequence element, boolean ignoreCase) {
        for (int start = from; start <= to; ) {
            int end = start;
            while (end < to && bytes[end] != ',') {
                end++;
            }
            int a = start;
            int b = end;
            while (a < b && (bytes[a] & 0xff) <= ' ') {       // trimmed as Netty trims: every char up to space
                a++;
            }
            while (b > a && (bytes[b - 1] & 0xff) <= ' ') {
                b--;
            }
            if (b - a == element.length() && sameChars(bytes, a, element, ignoreCase)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean sameChars(byte[] bytes, int at, CharSequence element, boolean ignoreCase) {
        for (int k = 0; k < element.length(); k++) {
            char w = (char) (bytes[at + k] & 0xff);
            char e = element.charAt(k);
            if (w != e && !(ignoreCase && asciiLower(w) == asciiLower(e))) {
                return false;
            }
        }
        return true;
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    @Override
    public Iterator<? extends CharSequence> valueCharSequenceIterator(CharSequence name) {
        return new Iterator<CharSequence>() {
            private int next = indexOf(name, 0);

            @Override
            public boolean hasNext() {
                return next >= 0;
            }

            @Override
            public CharSequence next() {
                if (next < 0) {
                    throw new NoSuchElementException();
                }
                CharSequence value = valueAt(next);
                next = indexOf(name, next + 1);
                return value;
            }
        };
    }

    @Override
    public Iterator<String> valueStringIterator(CharSequence name) {
        return getAll(name).iterator();
    }

    @Override
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            CharSequence v = valueAt(i);
            if (ignoreCase ? AsciiString.contentEqualsIgnoreCase(v, value) : AsciiString.contentEquals(v, value)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean contains(String name, String value, boolean ignoreCase) {
        return contains((CharSequence) name, value, ignoreCase);
    }

    @Override
    public Integer getInt(CharSequence name) {
        String v = get(name);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer v = getInt(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Short getShort(CharSequence name) {
        String v = get(name);
        try {
            return v == null ? null : Short.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short v = getShort(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        String v = get(name);
        Date date = v == null ? null : DateFormatter.parseHttpDate(v);
        return date == null ? null : date.getTime();
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        Long v = getTimeMillis(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(names[i].toString(), valueAt(i).toString()));
        }
        return entries;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return entries().iterator();
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new Iterator<Map.Entry<CharSequence, CharSequence>>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Map.Entry<CharSequence, CharSequence> next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return new AbstractMap.SimpleImmutableEntry<>(names[i], valueAt(i));
            }
        };
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            if (indexOf(this.names[i], 0) == i) {
                names.add(this.names[i].toString());        // the first spelling of each name, as Netty's
            }
        }
        return names;
    }

    // ---- changing ----------------------------------------------------------------------------------------

    private int append(CharSequence name, CharSequence value) {
        if (size == names.length) {
            int capacity = Math.max(8, size * 2);
            names = Arrays.copyOf(names, capacity);
            values = Arrays.copyOf(values, capacity);
            ints = Arrays.copyOf(ints, capacity * INTS);
        }
        int i = size++;
        names[i] = name;
        ints[i * INTS + HASH] = AsciiString.hashCode(name);
        values[i] = value;
        ints[i * INTS + START] = -1;
        ints[i * INTS + LENGTH] = 0;
        return i;
    }

    /** What Netty's headers store for a value: a CharSequence as it is, a date in HTTP format, else its text. */
    private static CharSequence text(Object value) {
        Objects.requireNonNull(value, "value");
        if (value instanceof CharSequence s) {
            return s;
        }
        if (value instanceof Date date) {
            return DateFormatter.format(date);
        }
        if (value instanceof Calendar calendar) {
            return DateFormatter.format(calendar.getTime());
        }
        return value.toString();
    }

    @Override
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        append(Objects.requireNonNull(name, "name"), text(value));
        return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        for (Object v : values) {
            add(name, v);
        }
        return this;
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        return add(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        return add(name, Short.toString(value));
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        CharSequence text = text(value);
        remove(name);
        append(name, text);
        return this;
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        return set((CharSequence) name, values);
    }

    @Override
    public HttpHeaders set(CharSequence name, Iterable<?> values) {
        remove(name);
        return add(name, values);
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        return set(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        return set(name, Short.toString(value));
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        int hash = AsciiString.hashCode(name);
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (ints[i * INTS + HASH] == hash && AsciiString.contentEqualsIgnoreCase(names[i], name)) {
                continue;
            }
            if (kept != i) {
                names[kept] = names[i];
                values[kept] = values[i];
                System.arraycopy(ints, i * INTS, ints, kept * INTS, INTS);
            }
            kept++;
        }
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return this;
    }

    @Override
    public HttpHeaders clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
        return this;
    }

    @Override
    public HttpHeaders copy() {
        WireHeaders copy = new WireHeaders(wire, Math.max(size, 1));
        for (int i = 0; i < size; i++) {
            int j = copy.append(names[i], values[i]);
            System.arraycopy(ints, i * INTS + START, copy.ints, j * INTS + START, INTS - START);
        }
        return copy;
    }
}
