package io.healthyproxy.http.config;

import java.util.Locale;
import java.util.Objects;

/**
 * A condition on one request header: its (first) value is exactly {@code value}, or the header is present,
 * or absent. Names are case-insensitive (kept in lower case), values compare exactly.
 *
 * @param name  the header's name, lower case
 * @param kind  exact, present or absent
 * @param value for {@link Kind#EXACT}, the value; otherwise empty
 */
public record HeaderMatch(String name, Kind kind, String value) {

    /** What is asked of the header. */
    public enum Kind { EXACT, PRESENT, ABSENT }

    public HeaderMatch {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        name = HeaderNames.check(name);
        if (kind == Kind.EXACT) {
            HeaderNames.checkValue(name, value);
        } else if (!value.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "': a " + kind.name().toLowerCase(Locale.ROOT)
                    + " condition has no value");
        }
    }

    public static HeaderMatch exact(String name, String value) {
        return new HeaderMatch(name, Kind.EXACT, value);
    }

    public static HeaderMatch present(String name) {
        return new HeaderMatch(name, Kind.PRESENT, "");
    }

    public static HeaderMatch absent(String name) {
        return new HeaderMatch(name, Kind.ABSENT, "");
    }

    /** Whether a request whose header has {@code actual} (null: no such header) meets this condition. */
    public boolean matches(String actual) {
        return switch (kind) {
            case EXACT -> value.equals(actual);
            case PRESENT -> actual != null;
            case ABSENT -> actual == null;
        };
    }

    /** Whether a request meeting this condition always meets {@code other} too (both on the same header). */
    public boolean implies(HeaderMatch other) {
        if (!other.name.equals(name)) {
            return false;
        }
        return switch (other.kind) {
            case EXACT -> kind == Kind.EXACT && value.equals(other.value);
            case PRESENT -> kind != Kind.ABSENT;
            case ABSENT -> kind == Kind.ABSENT;
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EXACT -> name + ": " + value;
            case PRESENT -> name + " present";
            case ABSENT -> name + " absent";
        };
    }
}
