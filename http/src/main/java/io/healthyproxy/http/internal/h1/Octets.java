package io.healthyproxy.http.internal.h1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What each byte may be in the parts of an HTTP/1.1 message (RFC 9110 §5.6, RFC 9112), as one lookup table:
 * the parsers test a bit instead of a chain of comparisons, and a byte is never turned into a char.
 */
final class Octets {

    /** tchar (RFC 9110 §5.6.2): what a method, a field name or a transfer coding is made of. */
    static final byte TOKEN = 1;
    /** VCHAR or obs-text (RFC 9110 §5.5): a field value's visible bytes. */
    static final byte VISIBLE = 2;
    /** SP or HTAB: whitespace inside a field value, trimmed at its ends (OWS). */
    static final byte BLANK = 4;
    /** A request-target byte: anything but a control byte (0x00–0x1F, 0x7F) or SP; 0x80–0xFF are kept as sent. */
    static final byte TARGET = 8;
    /** HEXDIG: a chunk size. */
    static final byte HEX = 16;
    /** What a field value may contain: VCHAR, obs-text, SP, HTAB. Never NUL, CR, LF or another control byte. */
    static final byte FIELD_VALUE = VISIBLE | BLANK;

    private static final byte[] CLASS = new byte[256];
    private static final byte[] HEX_VALUE = new byte[256];

    static {
        for (int b = 0x21; b <= 0xFF; b++) {
            if (b != 0x7F) {
                CLASS[b] |= VISIBLE | TARGET;
            }
        }
        CLASS[' '] |= BLANK;
        CLASS['\t'] |= BLANK;
        for (char c : "!#$%&'*+-.^_`|~0123456789".toCharArray()) {
            CLASS[c] |= TOKEN;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            CLASS[c] |= TOKEN;
            CLASS[c - 32] |= TOKEN;
        }
        java.util.Arrays.fill(HEX_VALUE, (byte) -1);
        for (int i = 0; i < 16; i++) {
            char digit = "0123456789abcdef".charAt(i);
            HEX_VALUE[digit] = (byte) i;
            HEX_VALUE[Character.toUpperCase(digit)] = (byte) i;
            CLASS[digit] |= HEX;
            CLASS[Character.toUpperCase(digit)] |= HEX;
        }
    }

    /** Reads a byte array eight bytes at a time. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Octets() {
    }

    /**
     * The line feeds among the eight bytes {@code a[i, i + 8)} (fewer at the end of {@code length}): the high
     * bit of byte k of the result is set iff {@code a[i + k]} is LF. SWAR, exact: {@code x ^ 0x0A * ONES} has
     * a zero byte exactly where LF was, and {@code (y - ONES) & ~y & HIGHS} marks the lowest zero byte
     * exactly, a higher one possibly falsely (after a borrow), so each candidate is confirmed.
     */
    static long lineFeeds(byte[] a, int i, int length) {
        if (i + 8 > length) {
            long found = 0;
            for (int k = 0; i + k < length; k++) {
                if (a[i + k] == '\n') {
                    found |= 0x80L << (8 * k);
                }
            }
            return found;
        }
        long y = (long) LONGS.get(a, i) ^ (0x0A * ONES);
        long candidates = (y - ONES) & ~y & HIGHS;
        long found = 0;
        while (candidates != 0) {
            int k = Long.numberOfTrailingZeros(candidates) >>> 3;
            if (a[i + k] == '\n') {
                found |= 0x80L << (8 * k);
            }
            candidates &= candidates - 1;
        }
        return found;
    }

    /**
     * Skips, eight bytes at a time, what is certainly visible in a field value (0x20–0x7E, 0x80–0xFF) from
     * {@code a[i]}, and returns where a closer look is needed: at most seven bytes before a control byte, a
     * DEL, a tab or the end of the array. SWAR: a word holds a byte below 0x20 iff
     * {@code (x - 0x20 * ONES) & ~x & HIGHS} is not 0, and a DEL iff the same test for zero holds for
     * {@code x ^ 0x7F * ONES}; neither test misses one (they may only flag the bytes after one).
     */
    static int skipVisible(byte[] a, int i) {
        while (i + 8 <= a.length) {
            long x = (long) LONGS.get(a, i);
            long del = x ^ (0x7F * ONES);
            long control = (x - 0x20 * ONES) & ~x;
            if (((control | ((del - ONES) & ~del)) & HIGHS) != 0) {
                return i;
            }
            i += 8;
        }
        return i;
    }

    static boolean is(byte b, byte kind) {
        return (CLASS[b & 0xFF] & kind) != 0;
    }

    /** The value of a hex digit, or -1. */
    static int hexValue(byte b) {
        return HEX_VALUE[b & 0xFF];
    }

    /** ASCII lower case of one byte (only A–Z change). */
    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
}
