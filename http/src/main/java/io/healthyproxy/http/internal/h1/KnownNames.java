package io.healthyproxy.http.internal.h1;

import io.netty.util.AsciiString;

/**
 * The header names ordinary traffic carries, so that decoding one allocates nothing for its name, and so that
 * the decoder recognises the few that frame a message whatever their case.
 *
 * <p>A name is kept exactly as it was sent (the backend sees the client's spelling, as NGINX does; Envoy and
 * HAProxy lower-case names instead): a known name spelt the usual way ({@code Content-Length}) or in lower case
 * ({@code content-length}, as HTTP/2-minded clients send it) is a shared constant, any other spelling a copy.
 *
 * <p>Implementation notes: an open-addressing table keyed by a constant-time hash of the lower-cased name, so
 * a lookup costs a few array reads and one vectorised comparison for a name spelt as usual. Immutable after
 * class initialisation; shared by every thread.
 */
final class KnownNames {

    /** Not a name this class knows. */
    static final int OTHER = 0;
    static final int CONTENT_LENGTH = 1;
    static final int TRANSFER_ENCODING = 2;
    static final int UPGRADE = 3;

    private static final String[] COMMON = {
        // framing and connection
        "Content-Length", "Transfer-Encoding", "Upgrade", "Host", "Connection", "Keep-Alive", "Proxy-Connection", "TE",
        "Trailer", "Expect",
        // what browsers and API clients send
        "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Accept-Charset", "Cookie", "Referer", "Origin",
        "Authorization", "Cache-Control", "Pragma", "Content-Type", "Content-Encoding", "If-Modified-Since",
        "If-None-Match", "If-Match", "If-Range", "If-Unmodified-Since", "Range", "DNT", "Upgrade-Insecure-Requests",
        "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-User", "Sec-Fetch-Dest", "Sec-Ch-Ua", "Sec-Ch-Ua-Mobile",
        "Sec-Ch-Ua-Platform", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Accept", "Priority", "Proxy-Authorization", "X-Requested-With",
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Real-IP", "Forwarded",
        "Via", "X-Request-Id", "Traceparent", "Tracestate",
        // what backends answer
        "Date", "Server", "Content-Language", "Content-Range", "Content-Disposition", "Content-Security-Policy",
        "Accept-Ranges", "Age", "Allow", "ETag", "Expires", "Last-Modified", "Location", "Retry-After", "Set-Cookie",
        "Vary", "WWW-Authenticate", "Proxy-Authenticate", "Strict-Transport-Security", "X-Content-Type-Options",
        "X-Frame-Options", "X-XSS-Protection", "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
        "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Expose-Headers",
        "Access-Control-Max-Age", "Referrer-Policy", "Link", "Alt-Svc", "X-Powered-By", "X-Backend"};

    private static final int USUAL_SPELLING = 0;
    private static final int LOWER_SPELLING = 1;
    private static final int OTHER_SPELLING = 2;

    private static final int SLOTS = 512;                   // a power of two, over four times the names
    private static final byte[][] LOWER = new byte[SLOTS][];
    private static final byte[][] USUAL = new byte[SLOTS][];
    private static final AsciiString[] LOWER_NAME = new AsciiString[SLOTS];
    private static final AsciiString[] USUAL_NAME = new AsciiString[SLOTS];
    private static final int[] ID = new int[SLOTS];

    static {
        for (int n = 0; n < COMMON.length; n++) {
            byte[] usual = COMMON[n].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] lower = COMMON[n].toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int slot = slotOf(hash(usual, 0, usual.length));
            while (LOWER[slot] != null) {
                slot = (slot + 1) & (SLOTS - 1);
            }
            LOWER[slot] = lower;
            USUAL[slot] = usual;
            LOWER_NAME[slot] = AsciiString.cached(new String(lower, java.nio.charset.StandardCharsets.US_ASCII));
            USUAL_NAME[slot] = AsciiString.cached(COMMON[n]);
            ID[slot] = n < 3 ? n + 1 : OTHER;               // the first three are the ids above, in order
        }
    }

    private KnownNames() {
    }

    /**
     * A case-insensitive hash of a name from its length and three of its bytes: constant time, where a hash
     * over every byte would be a chain of multiplications as long as the name.
     */
    private static int hash(byte[] a, int from, int length) {
        return length * 0x9E3779B1 + (a[from] | 0x20) * 31 * 31 + (a[from + (length >> 1)] | 0x20) * 31
                + (a[from + length - 1] | 0x20);
    }

    /**
     * Finds the name {@code a[from, from + length)} (length > 0): -1 if it is not known, else a code for
     * {@link #id} and {@link #name} that says which name and how it was spelt.
     */
    static int find(byte[] a, int from, int length) {
        for (int slot = slotOf(hash(a, from, length)); ; slot = (slot + 1) & (SLOTS - 1)) {
            byte[] lower = LOWER[slot];
            if (lower == null) {
                return -1;
            }
            if (lower.length == length) {
                // The usual spellings first: one vectorised comparison each, where ignoring case is a loop.
                if (equalsExactly(a, from, USUAL[slot])) {
                    return slot << 2 | USUAL_SPELLING;
                }
                if (equalsExactly(a, from, lower)) {
                    return slot << 2 | LOWER_SPELLING;
                }
                if (equalsIgnoringCase(a, from, lower)) {
                    return slot << 2 | OTHER_SPELLING;
                }
            }
        }
    }

    /** What the name found means to the decoder: {@link #CONTENT_LENGTH}, ..., or {@link #OTHER}. */
    static int id(int found) {
        return found < 0 ? OTHER : ID[found >> 2];
    }

    /** The name as sent: a shared constant when it is spelt the usual way or in lower case, else a copy. */
    static AsciiString name(int found, byte[] a, int from, int length) {
        if (found >= 0) {
            switch (found & 3) {
                case USUAL_SPELLING -> {
                    return USUAL_NAME[found >> 2];
                }
                case LOWER_SPELLING -> {
                    return LOWER_NAME[found >> 2];
                }
                default -> { }
            }
        }
        return new AsciiString(a, from, length, true);
    }

    private static int slotOf(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }

    private static boolean equalsIgnoringCase(byte[] a, int from, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            if (Octets.lower(a[from + i]) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsExactly(byte[] a, int from, byte[] name) {
        return java.util.Arrays.equals(a, from, from + name.length, name, 0, name.length);
    }
}
