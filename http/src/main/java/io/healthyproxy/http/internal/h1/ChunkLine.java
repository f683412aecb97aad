package io.healthyproxy.http.internal.h1;

/**
 * The line that starts each chunk of a chunked body (RFC 9112 §7.1): {@code chunk-size [ chunk-ext ] CRLF}.
 *
 * <p>The size is at most 16 hex digits and must fit in 63 bits (a longer or larger one is refused, never
 * wrapped around); extensions are allowed, bounded by the line's length ({@link #MAX_LENGTH}), and dropped,
 * as §7.1.1 lets a recipient that does not know them do (the proxy frames what it forwards itself). Only
 * their bytes are checked: no control bytes, which is what keeps a bare CR or LF from hiding in one. The line
 * must end in CRLF: lenient chunk-line endings are exactly where parsers in a chain disagree.
 */
final class ChunkLine {

    /** Longest chunk-size line accepted, CRLF included: 16 digits and about 1 KiB of extensions. */
    static final int MAX_LENGTH = 1024;

    private ChunkLine() {
    }

    /** The chunk size on the line {@code a[from, to)}, whose last byte is its LF. */
    static long parse(byte[] a, int from, int to) {
        long size = 0;
        int i = from;
        for (int digit; (digit = Octets.hexValue(a[i])) >= 0; i++) {
            if (i - from == 16) {
                throw new MalformedMessageException("a chunk size of more than 16 hex digits");
            }
            size = (size << 4) | digit;
        }
        if (i == from) {
            throw new MalformedMessageException("a chunk size that is not hex");
        }
        if (size < 0) {
            throw new MalformedMessageException("a chunk size beyond 63 bits");
        }
        int lineEnd = to - 2;                               // where CRLF must be
        if (i < lineEnd) {
            int ext = i;
            while (a[ext] == ' ' || a[ext] == '\t') {
                ext++;                                      // BWS before the first ';'
            }
            if (a[ext] != ';') {
                throw new MalformedMessageException("a chunk size followed by something other than an extension");
            }
            for (int j = ext; j < lineEnd; j++) {
                if (!Octets.is(a[j], Octets.FIELD_VALUE)) {
                    throw new MalformedMessageException("a control byte in a chunk extension");
                }
            }
        }
        if (to - from < 2 || i > lineEnd || a[lineEnd] != '\r') {
            throw new MalformedMessageException("a chunk-size line not ending in CRLF");
        }
        return size;
    }
}
