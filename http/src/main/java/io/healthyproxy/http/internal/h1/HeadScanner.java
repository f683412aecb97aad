package io.healthyproxy.http.internal.h1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Finds where a head (a start line and its field section) or a trailer section ends, in bytes that may arrive
 * a few at a time, and enforces the size limits while it looks: the decoders parse a head only once it is all
 * there, in one pass over one array.
 *
 * <p>It remembers how far it has looked, so a head dribbled in one byte per read costs linear time, not
 * quadratic; and it fails as soon as a line grows past its limit, not when the line finally ends. Sizes are
 * counted as Netty counts them (line content, terminators excluded), so every head Netty accepted still fits.
 * It only finds the line feeds: whether each line ends in CRLF, and everything else about the bytes, is the
 * parsers' business. Positions are kept relative to the reader index, which is all that stays put while a
 * {@code ByteToMessageDecoder} gathers bytes. Confined to its decoder's thread.
 */
final class HeadScanner {

    private boolean startLine;
    private int maxStartLine;
    private int maxFieldBytes;
    /** How far line feeds have been looked for. */
    private int scanned;
    /** Where the line being looked at starts. */
    private int lineStart;
    private int fieldBytes;
    private int fieldLines;
    /** How many field lines the head last found had. */
    private int lastFieldLines;
    private boolean inFields;

    /** A scanner for a head whose start line may be {@code maxStartLine} bytes long, or for a trailer section (0). */
    HeadScanner(int maxStartLine, int maxFieldBytes) {
        restart(maxStartLine, maxFieldBytes);
    }

    /**
     * Starts afresh, on a head under these limits: how the decoders' per-thread scanner is used for each head
     * that arrives in one read.
     */
    HeadScanner restart(int maxStartLine, int maxFieldBytes) {
        this.startLine = maxStartLine > 0;
        this.maxStartLine = maxStartLine;
        this.maxFieldBytes = maxFieldBytes;
        reset();
        return this;
    }

    /** A scanner of its own for the head this one has begun: it carries on from where this one stopped. */
    HeadScanner carryOn() {
        HeadScanner own = new HeadScanner(maxStartLine, maxFieldBytes);
        own.scanned = scanned;
        own.lineStart = lineStart;
        own.fieldBytes = fieldBytes;
        own.fieldLines = fieldLines;
        own.inFields = inFields;
        return own;
    }

    /** The number of field lines in the head {@link #scan} last found. */
    int fieldLines() {
        return lastFieldLines;
    }

    /** Whether nothing of a head has been seen yet. */
    boolean atStart() {
        return scanned == 0;
    }

    /**
     * The length of the head that starts at {@code in}'s reader index, up to and including the line feed of
     * its empty line, or -1 if that has not arrived yet.
     *
     * @throws TooLongHttpLineException   if the start line is longer than allowed
     * @throws TooLongHttpHeaderException if the field lines together are
     */
    int scan(ByteBuf in) {
        int base = in.readerIndex();
        int readable = in.readableBytes();
        while (true) {
            int limit = limit();
            int to = Math.min(readable, limit);
            int lf = scanned < to ? in.indexOf(base + scanned, base + to, (byte) '\n') : -1;
            if (lf < 0) {
                if (readable >= limit) {
                    throw tooLong();
                }
                scanned = to;
                return -1;
            }
            int end = lineFeed(lf - base, lf > base && in.getByte(lf - 1) == '\r');
            if (end > 0) {
                return end;
            }
        }
    }

    /**
     * {@link #scan(ByteBuf)} for a head whose first bytes are in {@code a}: looks for line feeds in
     * {@code a[from, to)}, eight bytes at a time, carrying on from a previous call that looked at
     * {@code a[0, from)}: the decoders' fast path when a head arrives in one read, as most do. {@code a[0]} is
     * the byte at the reader index. Returns -1 if the head does not end within {@code to}; then
     * {@link #scan(ByteBuf)} carries on from there as more arrives.
     */
    int scan(byte[] a, int from, int to) {
        for (int word = from; word < to; word += 8) {
            long lfs = Octets.lineFeeds(a, word, to);
            while (lfs != 0) {
                int at = word + (Long.numberOfTrailingZeros(lfs) >>> 3);
                lfs &= lfs - 1;
                if (at >= limit()) {
                    throw tooLong();
                }
                int end = lineFeed(at, at > 0 && a[at - 1] == '\r');
                if (end > 0) {
                    return end;
                }
            }
        }
        if (to >= limit()) {
            throw tooLong();
        }
        scanned = to;                                       // where scan(ByteBuf) carries on
        return -1;
    }

    /** Where the next line feed must be at the latest: a line may hold what is left of its budget, CR and LF. */
    private int limit() {
        return inFields ? lineStart + (maxFieldBytes - fieldBytes) + 2 : maxStartLine + 2;
    }

    private RuntimeException tooLong() {
        return inFields
                ? new TooLongHttpHeaderException("the header fields are larger than " + maxFieldBytes + " bytes")
                : new TooLongHttpLineException("the start line is longer than " + maxStartLine + " bytes");
    }

    /** A line ends with the LF at {@code at}: the head's length if that was the empty line, else 0. */
    private int lineFeed(int at, boolean afterCr) {
        int content = at - lineStart - (afterCr && at > lineStart ? 1 : 0);
        if (!inFields) {
            if (content > maxStartLine) {
                throw tooLong();
            }
            inFields = true;
        } else if (content == 0) {
            lastFieldLines = fieldLines;
            reset();
            return at + 1;
        } else {
            fieldLines++;
            fieldBytes += content;
            if (fieldBytes > maxFieldBytes) {
                throw tooLong();
            }
        }
        lineStart = at + 1;
        scanned = at + 1;
        return 0;
    }

    void reset() {
        scanned = 0;
        lineStart = 0;
        fieldBytes = 0;
        fieldLines = 0;
        inFields = !startLine;
    }
}
