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

    private final boolean startLine;
    private final int maxStartLine;
    private final int maxFieldBytes;
    /** How far line feeds have been looked for. */
    private int scanned;
    /** Where the line being looked at starts. */
    private int lineStart;
    private int fieldBytes;
    private boolean inFields;

    /** A scanner for a head whose start line may be {@code maxStartLine} bytes long, or for a trailer section (0). */
    HeadScanner(int maxStartLine, int maxFieldBytes) {
        this.startLine = maxStartLine > 0;
        this.maxStartLine = maxStartLine;
        this.maxFieldBytes = maxFieldBytes;
        reset();
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
            // A line may hold what is left of its budget plus CR and LF; a line feed further away is too late.
            int limit = inFields ? lineStart + (maxFieldBytes - fieldBytes) + 2 : maxStartLine + 2;
            int to = Math.min(readable, limit);
            int lf = scanned < to ? in.indexOf(base + scanned, base + to, (byte) '\n') : -1;
            if (lf < 0) {
                if (readable >= limit) {
                    throw inFields
                            ? new TooLongHttpHeaderException("the header fields are larger than " + maxFieldBytes + " bytes")
                            : new TooLongHttpLineException("the start line is longer than " + maxStartLine + " bytes");
                }
                scanned = to;
                return -1;
            }
            int at = lf - base;
            int content = at - lineStart;
            if (content > 0 && in.getByte(lf - 1) == '\r') {
                content--;
            }
            if (!inFields) {
                if (content > maxStartLine) {
                    throw new TooLongHttpLineException("the start line is longer than " + maxStartLine + " bytes");
                }
                inFields = true;
            } else if (content == 0) {
                reset();
                return at + 1;
            } else {
                fieldBytes += content;
                if (fieldBytes > maxFieldBytes) {
                    throw new TooLongHttpHeaderException("the header fields are larger than " + maxFieldBytes + " bytes");
                }
            }
            lineStart = at + 1;
            scanned = at + 1;
        }
    }

    void reset() {
        scanned = 0;
        lineStart = 0;
        fieldBytes = 0;
        inFields = !startLine;
    }
}
