package io.healthyproxy.http.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The host a route is for: exact ({@code api.example.com}) or a wildcard for every name below a domain
 * ({@code *.example.com}: {@code a.example.com} and {@code a.b.example.com}, not {@code example.com}), as in
 * Envoy's virtual hosts and NGINX's {@code server_name}. Matching ignores case, the port and a final dot
 * ({@code API.Example.com.:8443} is {@code api.example.com}). Write the host alone: a pattern with a port is
 * refused rather than silently ignored.
 *
 * @param name     the host, lower case, without the {@code *.} of a wildcard
 * @param wildcard whether this is {@code *.name}
 */
public record HostPattern(String name, boolean wildcard) {

    private static final Pattern NAME = Pattern.compile(
            "(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)(?:\\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*|\\[[0-9a-f:.]+\\]");
    private static final String EXPECTED = "a host name, e.g. api.example.com, or *.example.com for every name "
            + "below example.com, without a port";

    public HostPattern {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || wildcard && name.startsWith("[")) {
            throw new IllegalArgumentException("'" + (wildcard ? "*." : "") + name + "' (expected: " + EXPECTED + ")");
        }
    }

    /**
     * Parses {@code api.example.com} or {@code *.example.com}.
     *
     * @throws IllegalArgumentException saying what a host pattern looks like
     */
    public static HostPattern parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        boolean wildcard = t.startsWith("*.");
        String name = wildcard ? t.substring(2) : t;
        if (name.contains(":") && !name.startsWith("[")) {
            throw new IllegalArgumentException("'" + text + "' (expected: " + EXPECTED
                    + "; the port is ignored when matching)");
        }
        try {
            return new HostPattern(name, wildcard);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' (expected: " + EXPECTED + ")");
        }
    }

    /** Whether {@code host}, already normalized ({@link #normalize}), is matched by this pattern. */
    public boolean matches(String host) {
        if (!wildcard) {
            return host.equals(name);
        }
        return host.length() > name.length() + 1 && host.endsWith(name)
                && host.charAt(host.length() - name.length() - 1) == '.';
    }

    /** Whether every host {@code other} matches is matched by this pattern too. */
    public boolean covers(HostPattern other) {
        if (!wildcard) {
            return !other.wildcard && other.name.equals(name);
        }
        // *.example.com covers a.example.com and *.a.example.com, and *.example.com itself.
        return other.wildcard && other.name.equals(name) || matches(other.name);
    }

    /**
     * A {@code Host} header's value as patterns see it: lower case, without the port or a final dot; null
     * stays null.
     */
    public static String normalize(String host) {
        if (host == null) {
            return null;
        }
        int end;
        if (host.startsWith("[")) {
            int bracket = host.indexOf(']');
            end = bracket < 0 ? host.length() : bracket + 1;
        } else {
            int colon = host.indexOf(':');
            end = colon < 0 ? host.length() : colon;
        }
        if (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        return host.substring(0, end).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return wildcard ? "*." + name : name;
    }
}
