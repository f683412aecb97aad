package io.healthyproxy.app.config;

import io.healthyproxy.http.config.HeaderMatch;
import io.healthyproxy.http.config.RouteMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A route's {@code match}: every key optional, every condition given must hold.
 *
 * <pre>
 * match:
 *   host: api.example.com          # or "*.example.com" (quoted: * starts an alias in YAML), or a list of them
 *   pathPrefix: /v1/               # or path: /exact (not both)
 *   method: [GET, HEAD]            # one or a list
 *   headers:                       # name: exact value; true: present; false: absent
 *     x-canary: "1"
 *     x-debug: false
 * </pre>
 */
final class MatchSection {

    private MatchSection() {
    }

    static Optional<RouteMatch> read(YamlMapping match) {
        RouteMatch.Builder b = RouteMatch.builder();
        match.get("host").flatMap(v -> v.oneOrList("a host, e.g. api.example.com, or a list of them"))
                .ifPresent(hosts -> match.readInto("host", v -> Optional.of(hosts), all -> all.forEach(b::host)));
        Optional<YamlValue> path = match.get("path");
        Optional<YamlValue> prefix = match.get("pathPrefix");
        if (path.isPresent() && prefix.isPresent()) {
            prefix.get().reject("given with path at line " + path.get().line() + " (expected: path or pathPrefix, "
                    + "not both)");
        } else {
            match.readInto("path", YamlValue::string, b::path);
            match.readInto("pathPrefix", YamlValue::string, b::pathPrefix);
        }
        match.get("method").flatMap(v -> v.oneOrList("a method, e.g. GET, or a list of them"))
                .ifPresent(methods -> match.readInto("method", v -> Optional.of(methods),
                        all -> all.forEach(b::method)));
        match.readInto("headers", v -> v.mapping(MatchSection::headers), all -> all.forEach(b::header));
        return match.build(b::build);
    }

    private static Optional<List<HeaderMatch>> headers(YamlMapping headers) {
        List<HeaderMatch> conditions = new ArrayList<>();
        headers.entries().forEach((name, value) -> {
            Optional<HeaderMatch> condition = value.isBoolean()
                    ? value.bool().flatMap(present -> checked(value,
                            () -> present ? HeaderMatch.present(name) : HeaderMatch.absent(name)))
                    : value.parsed("a value to match exactly, true (present) or false (absent)",
                            text -> HeaderMatch.exact(name, text));
            condition.ifPresent(conditions::add);
        });
        return headers.build(() -> conditions);
    }

    /** The condition, or empty when its name is refused (then reported at the value). */
    private static Optional<HeaderMatch> checked(YamlValue value, Supplier<HeaderMatch> condition) {
        try {
            return Optional.of(condition.get());
        } catch (IllegalArgumentException e) {
            value.reject(e);
            return Optional.empty();
        }
    }
}
