package io.healthyproxy.app.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The problems found so far in one file. Readers report here and carry on, so that a file with five mistakes
 * costs one run, not five. Not thread-safe: one load, one thread.
 */
final class Problems {

    private final String source;
    private final List<ConfigProblem> found = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    /** A problem on {@code line} (1-based; 0 for the whole file). */
    void add(int line, String message) {
        add(line, 0, message);
    }

    void add(int line, int column, String message) {
        found.add(new ConfigProblem(source, line, column, message));
    }

    /** How many have been reported: a reader compares counts to learn whether its part went wrong. */
    int count() {
        return found.size();
    }

    /** All problems as one exception, sorted by line; a stable sort keeps same-line problems in report order. */
    ConfigException toException() {
        List<ConfigProblem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(ConfigProblem::line));
        return new ConfigException(sorted);
    }
}
