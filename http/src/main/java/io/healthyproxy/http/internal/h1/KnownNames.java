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
 * <p>Implementation notes: an open-addressing table keyed by a hash of the lower-cased name that the field
 * parser computes while it checks the name's bytes anyway, so a lookup costs one or two array reads and a
 * byte comparison. Immutable after class initialisation; shared by every thread.
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
            int hash = 0;
            for (byte b : usual) {
                hash = step(hash, b);
            }
            int slot = slotOf(hash);
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

    /** One step of the name hash: case-insensitive for letters, which is all a token's case can vary in. */
    static int step(int hash, byte b) {
        return 31 * hash + (b | 0x20);
    }

    /** The slot of the name {@code a[from, from + length)} whose hash is {@code hash}, or -1 if it is not known. */
    static int find(byte[] a, int from, int length, int hash) {
        for (int slot = slotOf(hash); ; slot = (slot + 1) & (SLOTS - 1)) {
            byte[] lower = LOWER[slot];
            if (lower == null) {
                return -1;
            }
            if (lower.length == length && equalsIgnoringCase(a, from, lower)) {
                return slot;
            }
        }
    }

    /** What the name in {@code slot} means to the decoder: {@link #CONTENT_LENGTH}, ..., or {@link #OTHER}. */
    static int id(int slot) {
        return slot < 0 ? OTHER : ID[slot];
    }

    /** The name as sent: a shared constant when it is spelt the usual way or in lower case, else a copy. */
    static AsciiString name(int slot, byte[] a, int from, int length) {
        if (slot >= 0) {
            if (equalsExactly(a, from, USUAL[slot])) {
                return USUAL_NAME[slot];
            }
            if (equalsExactly(a, from, LOWER[slot])) {
                return LOWER_NAME[slot];
            }
        }
        return new AsciiString(a, from, length, true);
    }

    private static int slotOf(int hash) {
        return (hash ^ (hash >>> 9)) & (SLOTS - 1);
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
