package io.healthyproxy.http.config;

import java.util.BitSet;
import java.util.Locale;
import java.util.Objects;

/**
 * A set of HTTP status codes, written as a comma-separated list of codes, ranges and classes:
 * {@code 200}, {@code 200-399}, {@code 2xx}, {@code 502,503,504}. Immutable.
 */
public final class StatusCodes {

    public static final StatusCodes SUCCESS = parse("2xx");
    /** The gateway errors: a backend that answers these is failing, whatever the request was. */
    public static final StatusCodes GATEWAY_ERRORS = parse("502,503,504");
    public static final StatusCodes NONE = new StatusCodes(new BitSet(), "");

    private final BitSet codes;
    private final String text;

    private StatusCodes(BitSet codes, String text) {
        this.codes = codes;
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException naming the part that is not a code, range or class
     */
    public static StatusCodes parse(String text) {
        BitSet codes = new BitSet(600);
        String normalized = text.trim().toLowerCase(Locale.ROOT);
        if (normalized.isEmpty()) {
            return NONE;
        }
        for (String part : normalized.split("\\s*,\\s*")) {
            if (part.matches("[1-5]xx")) {
                int base = (part.charAt(0) - '0') * 100;
                codes.set(base, base + 100);
            } else if (part.matches("\\d{3}-\\d{3}")) {
                int from = Integer.parseInt(part.substring(0, 3));
                int to = Integer.parseInt(part.substring(4));
                if (from < 100 || to > 599 || from > to) {
                    throw invalid(text, part);
                }
                codes.set(from, to + 1);
            } else if (part.matches("\\d{3}")) {
                int code = Integer.parseInt(part);
                if (code < 100 || code > 599) {
                    throw invalid(text, part);
                }
                codes.set(code);
            } else {
                throw invalid(text, part);
            }
        }
        return new StatusCodes(codes, normalized.replaceAll("\\s+", ""));
    }

    public boolean contains(int status) {
        return status >= 0 && codes.get(status);
    }

    /** These codes but those in {@code other}. */
    public StatusCodes without(StatusCodes other) {
        BitSet left = (BitSet) codes.clone();
        left.andNot(other.codes);
        if (left.equals(codes)) {
            return this;
        }
        StringBuilder text = new StringBuilder();
        left.stream().forEach(c -> text.append(text.length() == 0 ? "" : ",").append(c));
        return new StatusCodes(left, text.toString());
    }

    public boolean isEmpty() {
        return codes.isEmpty();
    }

    private static IllegalArgumentException invalid(String text, String part) {
        return new IllegalArgumentException("'" + text + "': '" + part
                + "' is not a status code (expected: codes, ranges or classes, e.g. 200, 200-399, 2xx, 502,503)");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusCodes other && other.codes.equals(codes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(codes);
    }

    @Override
    public String toString() {
        return text;
    }
}
