package io.healthyproxy.http.internal.h1;

import io.netty.util.AsciiString;

/**
 * Parses field lines (RFC 9112 §5) from a complete head or trailer section into {@link WireHeaders}, checking
 * every byte, and notes what the framing rules need: the Content-Length and Transfer-Encoding fields and
 * whether an Upgrade field was present.
 *
 * <p>The rules, each a {@link MalformedMessageException}: a name is a token, directly followed by the colon
 * (whitespace before it is a MUST-reject, §5.1); a value is VCHAR, obs-text, SP and HTAB only (never NUL, a
 * bare CR, a bare LF or another control byte), its surrounding whitespace trimmed; every line ends in CRLF;
 * a line starting with SP or HTAB (obs-fold, §5.2, or whitespace before the first field, §2.2) is refused,
 * as NGINX does: a proxy may refuse it, and unfolding is where parsers disagree.
 *
 * <p>Values stay spans of the bytes read, so obs-text reaches the backend as sent (as a String, one char per
 * byte, ISO-8859-1). Names are {@link KnownNames} constants where possible. Nothing else validates these
 * headers: this is the validation. Confined to its decoder's thread; {@link #reset()} before each section.
 */
final class FieldParser {

    /** Content-Length field lines seen. */
    int contentLengths;
    /** The value of the (last) Content-Length, or -1 if one was not 1*DIGIT of at most 18 digits. */
    long contentLength;
    /** Transfer-Encoding field lines seen. */
    int transferEncodings;
    /** Transfer codings listed, over every Transfer-Encoding line. */
    int codings;
    /** Whether the last coding listed is {@code chunked}. */
    boolean chunkedLast;
    boolean upgrade;

    void reset() {
        contentLengths = 0;
        contentLength = -1;
        transferEncodings = 0;
        codings = 0;
        chunkedLast = false;
        upgrade = false;
    }

    /**
     * Parses the field lines starting at {@code a[i]} up to and including the empty line that ends them, which
     * the caller has made sure is there, and returns the index after it. {@code a} is {@code into}'s wire.
     */
    int parse(byte[] a, int i, WireHeaders into) {
        while (true) {
            byte b = a[i];
            if (b == '\r') {
                if (a[i + 1] != '\n') {
                    throw new MalformedMessageException("a CR not followed by LF");
                }
                return i + 2;
            }
            if (b == ' ' || b == '\t') {
                throw new MalformedMessageException("a field line starting with whitespace (obs-fold is not accepted)");
            }
            if (b == '\n') {
                throw new MalformedMessageException("a line ending in a bare LF (CRLF expected)");
            }
            int nameStart = i;
            while (Octets.is(b, Octets.TOKEN)) {
                b = a[++i];
            }
            int nameLength = i - nameStart;
            if (b != ':' || nameLength == 0) {
                throw new MalformedMessageException(nameLength == 0 ? "a field line without a name"
                        : b == ' ' || b == '\t' ? "whitespace between a field name and its colon"
                        : b == '\n' || b == '\r' ? "a field line without a colon" : "an invalid byte in a field name");
            }
            b = a[++i];
            while (b == ' ' || b == '\t') {
                b = a[++i];
            }
            int valueStart = i;
            i = Octets.skipVisible(a, i);
            b = a[i];
            while (Octets.is(b, Octets.FIELD_VALUE)) {
                b = a[++i];
            }
            int valueEnd = i;
            while (valueEnd > valueStart && (a[valueEnd - 1] == ' ' || a[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            if (b != '\r' || a[i + 1] != '\n') {
                throw new MalformedMessageException(b == '\n' ? "a line ending in a bare LF (CRLF expected)"
                        : b == '\r' ? "a CR not followed by LF" : "a control byte in a field value");
            }
            i += 2;
            int found = KnownNames.find(a, nameStart, nameLength);
            switch (KnownNames.id(found)) {
                case KnownNames.CONTENT_LENGTH -> contentLength(a, valueStart, valueEnd);
                case KnownNames.TRANSFER_ENCODING -> transferCodings(a, valueStart, valueEnd);
                case KnownNames.UPGRADE -> upgrade = true;
                default -> { }
            }
            AsciiString name = KnownNames.name(found, a, nameStart, nameLength);
            into.addWire(name, nameStart, valueStart, valueEnd - valueStart);
        }
    }

    /** RFC 9110 §8.6: 1*DIGIT. A list ({@code 4, 4}) and a sign are not digits. */
    private void contentLength(byte[] a, int from, int to) {
        contentLengths++;
        long value = 0;
        if (to == from || to - from > 18) {
            contentLength = -1;
            return;
        }
        for (int i = from; i < to; i++) {
            int digit = a[i] - '0';
            if (digit < 0 || digit > 9) {
                contentLength = -1;
                return;
            }
            value = value * 10 + digit;
        }
        contentLength = value;
    }

    /**
     * RFC 9112 §6.1: a list of transfer codings, over every Transfer-Encoding line in order. {@code chunked}
     * may only be the last, and only once; an empty element is refused rather than skipped, since skipping
     * is where parsers disagree about a message's framing. Whether the result is acceptable (chunked last, and
     * alone or not) is the decoder's call: requests and responses differ.
     */
    private void transferCodings(byte[] a, int from, int to) {
        transferEncodings++;
        int i = from;
        while (true) {
            while (i < to && (a[i] == ' ' || a[i] == '\t')) {
                i++;
            }
            int start = i;
            while (i < to && a[i] != ',') {
                i++;
            }
            int end = i;
            while (end > start && (a[end - 1] == ' ' || a[end - 1] == '\t')) {
                end--;
            }
            if (end == start) {
                throw new MalformedMessageException("an empty element in Transfer-Encoding");
            }
            if (chunkedLast) {
                throw new MalformedMessageException("a transfer coding after chunked (chunked must be the final coding, "
                        + "applied once)");
            }
            if (!Octets.is(a[start], Octets.TOKEN)) {
                throw new MalformedMessageException("an invalid transfer coding");
            }
            codings++;
            chunkedLast = isChunked(a, start, end);
            if (i == to) {
                return;
            }
            i++;                                            // the comma
        }
    }

    private static boolean isChunked(byte[] a, int from, int to) {
        if (to - from != 7) {
            return false;
        }
        for (int i = 0; i < 7; i++) {
            if (Octets.lower(a[from + i]) != "chunked".charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
