package io.healthyproxy.http.internal.h1;

/**
 * The syntax of a Host field value and of a request-target's authority (RFC 9110 §7.2 and §4.2.1, RFC 3986
 * §3.2.2): {@code host [":" port]}, where host is a bracketed IP literal, an IPv4 address or a registered name.
 *
 * <p>Stricter than RFC 3986 in three places, each a way to make two parsers see different hosts: a comma (a
 * sub-delim in RFC 3986, but what two Host lines folded into one look like), userinfo ({@code user@host},
 * which RFC 9110 §4.2.4 says to treat as an error), and an empty port after the colon. An empty host is
 * invalid for http and https (§4.2.1). Stateless.
 */
public final class Authority {

    private Authority() {
    }

    /** Whether {@code value} is a valid authority; CONNECT's authority-form also needs the port. */
    public static boolean isValid(CharSequence value, boolean portRequired) {
        int length = value.length();
        int i = 0;
        if (length > 0 && value.charAt(0) == '[') {
            i = 1;
            boolean colon = false;
            for (char c; i < length && (c = value.charAt(i)) != ']'; i++) {
                if (!(isHex(c) || c == ':' || c == '.')) {
                    return false;
                }
                colon |= c == ':';
            }
            if (i == length || !colon) {
                return false;                               // unclosed, or not an IPv6 address at all
            }
            i++;
        } else {
            for (char c; i < length && (c = value.charAt(i)) != ':'; i++) {
                if (c == '%') {
                    if (i + 2 >= length || !isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2))) {
                        return false;
                    }
                    i += 2;
                } else if (!isRegNameChar(c)) {
                    return false;
                }
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == length) {
            return !portRequired;
        }
        if (value.charAt(i) != ':') {
            return false;
        }
        return isPort(value, i + 1, length);
    }

    private static boolean isPort(CharSequence value, int from, int to) {
        if (to == from || to - from > 5) {
            return false;
        }
        int port = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    /** unreserved and sub-delims of RFC 3986, but not the comma. */
    private static boolean isRegNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~!$&'()*+;=".indexOf(c) >= 0;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
