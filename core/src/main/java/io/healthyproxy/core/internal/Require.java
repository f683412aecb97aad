package io.healthyproxy.core.internal;

import io.healthyproxy.core.time.HumanDuration;
import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks for builders and configs. Every message has one shape, the name, the value and what was
 * expected, e.g. {@code failureThreshold: 0 (expected: > 0)}, so a user can fix a config without reading code.
 *
 * <p>Internal: not part of the public API.
 */
public final class Require {

    private Require() {
    }

    public static int positive(String name, int value) {
        if (value <= 0) {
            throw invalid(name, value, "> 0");
        }
        return value;
    }

    public static int inRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(name, value, min + ".." + max);
        }
        return value;
    }

    public static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw invalid(name, HumanDuration.format(value), "> 0");
        }
        return value;
    }

    public static Duration notNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw invalid(name, HumanDuration.format(value), ">= 0");
        }
        return value;
    }

    /** {@code min <= value <= max}. */
    public static double inRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw invalid(name, value, min + ".." + max);
        }
        return value;
    }

    public static double atLeast(String name, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw invalid(name, value, ">= " + min);
        }
        return value;
    }

    public static IllegalArgumentException invalid(String name, Object value, String expected) {
        return new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
    }
}
