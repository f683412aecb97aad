package io.healthyproxy.app.config;

import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.http.config.Endpoint;
import io.healthyproxy.http.config.StatusCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the config's own value types are written: durations ({@code 250ms}, {@code 5s}), endpoints
 * ({@code 127.0.0.1:8080}), status sets ({@code 2xx}, {@code "502,503,504"}, {@code [502, 503]}) and choices
 * (enum names in any case, {@code -} for {@code _}). Each reads a {@link YamlValue} or reports why it cannot.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    static Optional<Duration> duration(YamlValue value) {
        return value.parsed("a duration, e.g. 250ms, 5s, 2m", HumanDuration::parse);
    }

    static Optional<Endpoint> endpoint(YamlValue value) {
        return value.parsed("host:port, e.g. 127.0.0.1:8080", Endpoint::parse);
    }

    /** {@code ttl} (empty: follow the DNS answer's TTL), or a duration. */
    static Optional<Optional<Duration>> durationOrTtl(YamlValue value) {
        return value.parsed("ttl, or a duration, e.g. 5s", text -> {
            if (text.trim().equalsIgnoreCase("ttl")) {
                return Optional.<Duration>empty();
            }
            return Optional.of(io.healthyproxy.core.internal.Require.positive("resolveEvery",
                    io.healthyproxy.core.time.HumanDuration.parse(text)));
        });
    }

    /** {@code auto} (empty: adaptive) or a duration. */
    static Optional<Optional<Duration>> durationOrAuto(YamlValue value) {
        return value.parsed("auto, or a duration, e.g. 50ms", text -> {
            if (text.trim().equalsIgnoreCase("auto")) {
                return Optional.<Duration>empty();
            }
            try {
                return Optional.of(HumanDuration.parse(text));
            } catch (IllegalArgumentException notADuration) {
                throw new IllegalArgumentException("'" + text + "' (expected: auto, or a duration, e.g. 50ms)");
            }
        });
    }

    /**
     * One string of codes, ranges and classes, a single number, or a list of those; each list element is
     * checked on its own, so a bad one is reported on its own line.
     */
    static Optional<StatusCodes> statusCodes(YamlValue value) {
        String expected = "status codes, e.g. 2xx, \"502,503,504\" or [502, 503]";
        if (!value.isList()) {
            return value.parsed(expected, StatusCodes::parse);
        }
        List<YamlValue> elements = value.list(expected).orElseThrow();
        List<String> parts = new ArrayList<>();
        for (YamlValue element : elements) {
            element.parsed("a status code, range or class, e.g. 503, 500-599, 5xx", text -> {
                StatusCodes.parse(text);
                return text;
            }).ifPresent(parts::add);
        }
        if (parts.size() < elements.size()) {
            return Optional.empty();
        }
        // Every part parsed on its own above, so the whole does too.
        return Optional.of(StatusCodes.parse(String.join(",", parts)));
    }

    /** A reader of {@code type}'s constants, written in lower or upper case, with {@code -} or {@code _}. */
    static <E extends Enum<E>> Function<YamlValue, Optional<E>> choice(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT))
                .toList();
        String expected = "one of " + String.join(", ", names);
        return value -> value.parsed(expected, text -> {
            String wanted = text.trim().replace('-', '_').toLowerCase(Locale.ROOT);
            int index = names.indexOf(wanted);
            if (index >= 0) {
                return type.getEnumConstants()[index];
            }
            String hint = DidYouMean.among(names, text.trim()).map(name -> "; did you mean " + name + "?").orElse("");
            throw new IllegalArgumentException("'" + text + "' (expected: " + expected + hint + ")");
        });
    }
}
