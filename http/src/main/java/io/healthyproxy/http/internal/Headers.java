package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Header rules of a proxy (RFC 9110 §7.6): hop-by-hop headers stay on their hop, the forwarding headers
 * say where a request came from.
 */
final class Headers {

    /**
     * Headers that describe one connection, never the message: removed in both directions (RFC 9110 §7.6.1).
     * {@code Trailer} is not one of them: it announces the message's trailer fields, which are passed on.
     */
    private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            AsciiString.cached("proxy-connection"), HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE, HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE);

    /** The connection options a Connection header may list beside the names of hop-by-hop headers. */
    private static final String CLOSE = "close";
    private static final String KEEP_ALIVE = "keep-alive";

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");

    private Headers() {
    }

    /** Removes the hop-by-hop headers, including any that the Connection header names. */
    static void removeHopByHop(HttpHeaders headers) {
        List<String> named = null;
        Iterator<? extends CharSequence> connection = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
        while (connection.hasNext()) {
            named = addNamedHeaders(connection.next(), named);
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
        if (named != null) {
            for (String name : named) {
                headers.remove(name);           // header names are case-insensitive in Netty's headers
            }
        }
    }

    /**
     * Adds the header names listed in one Connection header value to {@code into} (created when needed),
     * leaving out the connection options {@code close} and {@code keep-alive}. Runs on every message in both
     * directions, hence no regular expression and no copy of the common {@code keep-alive} value.
     */
    private static List<String> addNamedHeaders(CharSequence value, List<String> into) {
        for (int start = 0; start <= value.length(); ) {
            int end = start;
            while (end < value.length() && value.charAt(end) != ',') {
                end++;
            }
            int a = start;
            int b = end;
            while (a < b && isSpace(value.charAt(a))) {
                a++;
            }
            while (b > a && isSpace(value.charAt(b - 1))) {
                b--;
            }
            if (a < b && !isOption(value, a, b, CLOSE) && !isOption(value, a, b, KEEP_ALIVE)) {
                if (into == null) {
                    into = new ArrayList<>(2);
                }
                into.add(value.subSequence(a, b).toString());
            }
            start = end + 1;
        }
        return into;
    }

    /** Trimmed as String.trim trims: spaces, tabs and every control character. */
    private static boolean isSpace(char c) {
        return c <= ' ';
    }

    /** Whether {@code value[a, b)} is the connection option {@code option} (lowercase), in any case. */
    private static boolean isOption(CharSequence value, int a, int b, String option) {
        return b - a == option.length() && AsciiString.regionMatches(value, true, a, option, 0, option.length());
    }

    /**
     * The {@code Upgrade} value of a request this proxy tunnels, or null: a GET asking, with {@code Connection:
     * upgrade}, for {@code websocket}. Any other upgrade is not tunnelled; its headers are hop-by-hop and go
     * no further, so the backend sees a plain request. That is what keeps {@code h2c} smuggling out: an
     * {@code Upgrade: h2c} that reached a backend could turn the connection into HTTP/2 past every check here.
     */
    static String tunnelledUpgrade(HttpRequest request) {
        HttpHeaders headers = request.headers();
        if (!request.method().equals(HttpMethod.GET) || !headers.contains(HttpHeaderNames.UPGRADE)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return null;
        }
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        return upgrade.trim().equalsIgnoreCase("websocket") ? upgrade.trim() : null;
    }

    /**
     * Adds this hop to the forwarding headers: the client's address appended to X-Forwarded-For, and the
     * scheme ({@code http}, or {@code https} when the client came over TLS) and Host the client used. Host
     * itself is passed on unchanged.
     */
    static void addForwarded(HttpHeaders headers, String clientAddress, String scheme) {
        String prior = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, prior == null || prior.isBlank() ? clientAddress : prior + ", " + clientAddress);
        headers.set(X_FORWARDED_PROTO, scheme);
        // The Host value as it is held (a view of the head's bytes when decoded here), not a String copy of it.
        Iterator<? extends CharSequence> host = headers.valueCharSequenceIterator(HttpHeaderNames.HOST);
        if (host.hasNext()) {
            headers.set(X_FORWARDED_HOST, host.next());
        }
    }

    /**
     * A message's Content-Length, or {@code absent} without one or with one that is not a number: what Netty's
     * {@code HttpUtil.getContentLength(message, absent)} answers (which throws for a non-number instead; the
     * decoders refuse those anyway), read without a String: it is asked of every response.
     */
    static long contentLength(HttpHeaders headers, long absent) {
        Iterator<? extends CharSequence> values = headers.valueCharSequenceIterator(HttpHeaderNames.CONTENT_LENGTH);
        if (!values.hasNext()) {
            return absent;
        }
        CharSequence value = values.next();
        int n = value.length();
        if (n == 0) {
            return absent;
        }
        if (n > 18) {                               // 18 digits always fit a long; more may not
            return parseOrAbsent(value.toString(), absent);
        }
        long length = 0;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return parseOrAbsent(value.toString(), absent);     // a sign or spaces: as Long.parseLong reads them
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    private static long parseOrAbsent(String value, long absent) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return absent;
        }
    }
}
