package io.healthyproxy.maelstrom.json;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.OptionalLong;

/** A number, kept as the exact text it was written as, so that passing it through changes nothing. */
public record JsonNumber(String text) implements JsonValue {

    public JsonNumber {
        Objects.requireNonNull(text, "text");
    }

    public static JsonNumber of(long value) {
        return new JsonNumber(Long.toString(value));
    }

    /** The value as a {@code long}, if it is an integer that fits (so {@code 3.0} and {@code 1e2} qualify too). */
    public OptionalLong asLong() {
        try {
            return OptionalLong.of(new BigDecimal(text).longValueExact());
        } catch (ArithmeticException | NumberFormatException notALong) {
            return OptionalLong.empty();
        }
    }

    @Override
    public String typeName() {
        return "number";
    }
}
