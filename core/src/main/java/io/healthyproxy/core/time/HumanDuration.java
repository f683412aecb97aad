package io.healthyproxy.core.time;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in flags and config files: {@code 250ms}, {@code 5s}, {@code 1.5s},
 * {@code 2m}, {@code 1h}, and ISO-8601 ({@code PT30S}) for those who prefer it. A bare number is rejected
 * rather than guessed at: "30" could mean seconds or milliseconds.
 */
public final class HumanDuration {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h)");

    private HumanDuration() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(trimmed);
        if (m.matches()) {
            BigDecimal amount = new BigDecimal(m.group(1));
            BigDecimal nanosPerUnit = BigDecimal.valueOf(switch (m.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            });
            try {
                return Duration.ofNanos(amount.multiply(nanosPerUnit).toBigInteger().longValueExact());
            } catch (ArithmeticException tooLong) {
                throw new IllegalArgumentException("'" + text + "' is too long a duration");
            }
        }
        if (trimmed.startsWith("pt") || trimmed.startsWith("p")) {
            try {
                return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } catch (RuntimeException notIso) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not a duration (expected: a number and a unit, e.g. 250ms, 5s, 1.5s, 2m, 1h)");
    }

    /** Formats {@code d} in the largest unit that keeps it short and exact enough: {@code 30s}, {@code 250ms}, {@code 1.5s}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 3_600_000_000_000L == 0 && nanos != 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 60_000_000_000L == 0 && nanos != 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (Math.abs(nanos) >= 1_000_000_000L) {
            return trim(BigDecimal.valueOf(nanos, 9)) + "s";
        }
        if (Math.abs(nanos) >= 1_000_000L || nanos == 0) {
            return trim(BigDecimal.valueOf(nanos, 6)) + "ms";
        }
        if (Math.abs(nanos) >= 1_000L) {
            return trim(BigDecimal.valueOf(nanos, 3)) + "us";
        }
        return nanos + "ns";
    }

    private static String trim(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}
