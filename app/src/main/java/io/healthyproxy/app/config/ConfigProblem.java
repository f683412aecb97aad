package io.healthyproxy.app.config;

import java.util.Objects;

/**
 * One thing wrong with a config file, located as precisely as the file allows. Its {@link #toString()} is the
 * line a user sees, in the {@code file:line: message} shape editors and terminals turn into links:
 *
 * <pre>
 * proxy.yaml:12: backends[1].address: 'localhost' (expected: host:port, e.g. 127.0.0.1:8080)
 * proxy.yaml:3:9: YAML syntax: mapping values are not allowed here
 * proxy.yaml: no such file
 * </pre>
 *
 * @param source  the file as the user named it, e.g. {@code proxy.yaml}
 * @param line    1-based line, or 0 when the problem concerns the whole file (missing, unreadable, empty)
 * @param column  1-based column, or 0 when only the line is known (every problem but a YAML syntax error)
 * @param message the key path, the bad value and what was expected, e.g.
 *                {@code breaker.failureThreshold: 0 (expected: > 0)}
 */
public record ConfigProblem(String source, int line, int column, String message) {

    public ConfigProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return source + ": " + message;
        }
        return source + ":" + line + (column > 0 ? ":" + column : "") + ": " + message;
    }
}
