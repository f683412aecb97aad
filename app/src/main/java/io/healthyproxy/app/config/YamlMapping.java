package io.healthyproxy.app.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A mapping being read by a section reader. Every key the reader asks for, present or not, becomes a known key;
 * the keys in the file that are not known are reported once the reader is done ({@link YamlValue#mapping}),
 * with the closest known key as a suggestion. Duplicate keys and keys that are not names are reported as the
 * mapping is opened.
 *
 * <p>A section reader asks for every key it knows, unconditionally, so that none is mistaken for unknown.
 */
final class YamlMapping {

    private final YamlValue self;
    private final Map<String, YamlValue> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();
    /** Problems reported before this mapping was opened: more at {@link #build} time means a part went wrong. */
    private final int problemsBefore;

    YamlMapping(YamlValue self, List<NodeTuple> tuples) {
        this.self = self;
        this.problemsBefore = self.problems().count();
        for (NodeTuple tuple : tuples) {
            int keyLine = YamlValue.lineOf(tuple.getKeyNode());
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || YamlValue.isNull(key)) {
                new YamlValue(tuple.getKeyNode(), self.path(), keyLine, self.problems())
                        .mismatch("a key name");
                continue;
            }
            KeyPath path = self.path().child(key.getValue());
            YamlValue first = entries.get(key.getValue());
            if (first != null) {
                self.problems().add(keyLine, path + ": duplicate key (first at line " + first.line() + ")");
                continue;
            }
            entries.put(key.getValue(), new YamlValue(tuple.getValueNode(), path, keyLine, self.problems()));
        }
    }

    KeyPath path() {
        return self.path();
    }

    /** The value of {@code key}, if the file has it; {@code key} is known from now on either way. */
    Optional<YamlValue> get(String key) {
        known.add(key);
        return Optional.ofNullable(entries.get(key));
    }

    /**
     * Every entry, in file order, for a mapping whose keys are names the user chose (clusters, headers); each
     * key is known from now on.
     */
    Map<String, YamlValue> entries() {
        known.addAll(entries.keySet());
        return Collections.unmodifiableMap(entries);
    }

    /** The line of this mapping's key (or of the mapping itself, at the top level). */
    int line() {
        return self.line();
    }

    /** Reports a problem with this whole mapping at its line. */
    void reject(String problem) {
        self.reject(problem);
    }

    /** Like {@link #get}, but a missing key is reported, on this mapping's line. */
    Optional<YamlValue> require(String key, String expected) {
        Optional<YamlValue> value = get(key);
        if (value.isEmpty()) {
            self.problems().add(self.line(), path().child(key) + ": missing (expected: " + expected + ")");
        }
        return value;
    }

    /**
     * If the file has {@code key}, converts its value and passes it to {@code setter}; a setter's
     * {@link IllegalArgumentException} (a builder checking the value) is reported at the key's line.
     */
    <T> void readInto(String key, Function<YamlValue, Optional<T>> conversion, Consumer<? super T> setter) {
        get(key).ifPresent(value -> conversion.apply(value).ifPresent(converted -> {
            try {
                setter.accept(converted);
            } catch (IllegalArgumentException e) {
                value.reject(e);
            }
        }));
    }

    /** The converted value of {@code key}, or {@code otherwise} when it is missing or wrong (then reported). */
    <T> T readOr(String key, Function<YamlValue, Optional<T>> conversion, T otherwise) {
        return get(key).flatMap(conversion).orElse(otherwise);
    }

    /**
     * Builds the section from the values read, reporting the config class's complaint (often about how two
     * fields fit together) at the line of the field it names, or this mapping's line. Skipped, and empty, when
     * a part of this section was already reported: the whole would be checked with a default in place of the
     * bad part, and complain about a mistake the user did not make.
     */
    <T> Optional<T> build(Supplier<T> whole) {
        if (self.problems().count() > problemsBefore) {
            return Optional.empty();
        }
        try {
            return Optional.of(whole.get());
        } catch (IllegalArgumentException e) {
            self.reject(e);
            return Optional.empty();
        }
    }

    void rejectUnknownKeys() {
        for (Map.Entry<String, YamlValue> entry : entries.entrySet()) {
            if (known.contains(entry.getKey())) {
                continue;
            }
            String hint = DidYouMean.among(known, entry.getKey())
                    .map(suggestion -> "did you mean " + suggestion + "?")
                    .orElseGet(() -> "expected: one of " + String.join(", ", known));
            entry.getValue().problems().add(entry.getValue().line(), entry.getValue().path() + ": unknown key (" + hint + ")");
        }
    }
}
