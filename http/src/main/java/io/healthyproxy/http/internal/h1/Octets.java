package io.healthyproxy.http.internal.h1;

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

    private Octets() {
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
