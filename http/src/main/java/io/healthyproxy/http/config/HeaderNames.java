package io.healthyproxy.http.config;

import java.util.Locale;
import java.util.Set;

/** What header names and values a config may use (RFC 9110 tokens and field values). */
final class HeaderNames {

    private static final String TOKEN_EXTRA = "!#$%&'*+-.^_`|~";
    static final String EXPECTED = "a header name: letters, digits and !#$%&'*+-.^_`|~";
    /**
     * Headers a route may not add or remove: they frame the message or belong to the connection, and the proxy
     * decides them (changing them is how requests are smuggled).
     */
    static final Set<String> RESERVED = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "content-length");

    private HeaderNames() {
    }

    /** {@code name} in lower case, or an exception saying what a header name is. */
    static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("'' (expected: " + EXPECTED + ")");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || TOKEN_EXTRA.indexOf(c) >= 0;
            if (!token) {
                throw new IllegalArgumentException("'" + name + "' (expected: " + EXPECTED + ")");
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    static void checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException("'" + name + "': value with a control character (expected: "
                        + "visible characters, spaces and tabs)");
            }
        }
    }
}
