package io.healthyproxy.app.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One node of the YAML tree with where it is: its key path and its line. The typed accessors return the value,
 * or report what was there and what was expected ({@code breaker.failureThreshold: 'five' (expected: an
 * integer)}) and return empty, so the caller keeps its default and reading goes on.
 *
 * <p>Types follow the YAML 1.2 core schema as snakeyaml-engine resolves it: {@code 5} is an integer, {@code "5"}
 * a string, {@code true}/{@code True}/{@code TRUE} a boolean, {@code ~} or nothing at all a null. A number is
 * never read from a string, nor a boolean from {@code yes}: a quoted number is more often a mistake than intent.
 */
final class YamlValue {

    /** A config class's message about a named field: {@code timeouts.perTry: 2s (expected: <= ...)}. */
    private static final Pattern ABOUT_A_FIELD =
            Pattern.compile("([A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*)*): (.*)", Pattern.DOTALL);
    private static final int SHOWN_CHARACTERS = 60;

    private final Node node;
    private final KeyPath path;
    private final int line;
    private final Problems problems;

    /**
     * @param line where a user looks for this value: its key's line for a mapping value (a nested mapping
     *             starts on the line below its key), its own line otherwise
     */
    YamlValue(Node node, KeyPath path, int line, Problems problems) {
        this.node = node;
        this.path = path;
        this.line = line;
        this.problems = problems;
    }

    static YamlValue root(Node node, Problems problems) {
        return new YamlValue(node, KeyPath.ROOT, lineOf(node), problems);
    }

    static int lineOf(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }

    KeyPath path() {
        return path;
    }

    int line() {
        return line;
    }

    Problems problems() {
        return problems;
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    boolean isMapping() {
        return node instanceof MappingNode;
    }

    /** Whether this is {@code true} or {@code false} (unquoted), which some keys read apart from strings. */
    boolean isBoolean() {
        return node instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag());
    }

    /** A scalar, or a list of scalars, as a list of strings: {@code method: GET} or {@code method: [GET, HEAD]}. */
    Optional<List<String>> oneOrList(String expected) {
        if (!isList()) {
            return scalar(expected).map(List::of);
        }
        List<String> values = new ArrayList<>();
        boolean allRead = true;
        for (YamlValue element : list(expected).orElseThrow()) {
            Optional<String> value = element.scalar(expected);
            value.ifPresent(values::add);
            allRead &= value.isPresent();
        }
        return allRead ? Optional.of(values) : Optional.empty();
    }

    /** The text of a scalar that is not null: strings, and numbers or booleans read as their text. */
    Optional<String> scalar(String expected) {
        if (node instanceof ScalarNode scalar && !isNull(scalar)) {
            return Optional.of(scalar.getValue());
        }
        return mismatch(expected);
    }

    Optional<String> string() {
        return scalar("a string");
    }

    Optional<Integer> integer() {
        return wholeNumber(Integer.MIN_VALUE, Integer.MAX_VALUE).map(Long::intValue);
    }

    Optional<Long> longInteger() {
        return wholeNumber(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** An integer or a float: {@code 2}, {@code 0.5}, {@code 1e3}, {@code .inf}. */
    Optional<Double> number() {
        if (node instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())) {
            return Optional.of(integerValue(scalar.getValue()).doubleValue());
        }
        if (node instanceof ScalarNode scalar && Tag.FLOAT.equals(scalar.getTag())) {
            return Optional.of(floatValue(scalar.getValue()));
        }
        return mismatch("a number");
    }

    Optional<Boolean> bool() {
        if (node instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
            return Optional.of(scalar.getValue().equalsIgnoreCase("true"));
        }
        return mismatch("true or false");
    }

    /**
     * A scalar turned into a value by {@code parser}; its {@link IllegalArgumentException} is reported here.
     *
     * @param expected what to say when the node is not a scalar at all, e.g. {@code a duration, e.g. 5s}
     */
    <T> Optional<T> parsed(String expected, Function<String, T> parser) {
        return scalar(expected).flatMap(text -> {
            try {
                return Optional.of(parser.apply(text));
            } catch (IllegalArgumentException e) {
                reject(e);
                return Optional.empty();
            }
        });
    }

    /**
     * Reads this mapping with {@code reader}, then reports its keys {@code reader} did not ask for. A null
     * ({@code breaker:} with nothing under it) reads as an empty mapping: every key takes its default.
     */
    <T> Optional<T> mapping(Function<YamlMapping, Optional<T>> reader) {
        YamlMapping mapping;
        if (node instanceof MappingNode entries) {
            mapping = new YamlMapping(this, entries.getValue());
        } else if (node instanceof ScalarNode scalar && isNull(scalar)) {
            mapping = new YamlMapping(this, List.of());
        } else {
            return mismatch("a mapping");
        }
        Optional<T> result = reader.apply(mapping);
        mapping.rejectUnknownKeys();
        return result;
    }

    /** The elements of a list, each with its path ({@code backends[0]}) and line. */
    Optional<List<YamlValue>> list(String expected) {
        if (!(node instanceof SequenceNode sequence)) {
            return mismatch(expected);
        }
        List<YamlValue> elements = new ArrayList<>();
        for (Node element : sequence.getValue()) {
            elements.add(new YamlValue(element, path.element(elements.size()), lineOf(element), problems));
        }
        return Optional.of(elements);
    }

    /** Reports {@code problem} (the bad value and what was expected) at this value's path and line. */
    void reject(String problem) {
        problems.add(line, path + ": " + problem);
    }

    /**
     * Reports a config class's complaint. One that names a field ({@code successThreshold: 2 (expected: ...)})
     * is reported at that field's full path and, when the field is written under this value, at its line;
     * any other message ({@code 'x' is not a duration ...}) is about this value itself.
     */
    void reject(IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        Matcher field = ABOUT_A_FIELD.matcher(message);
        if (!field.matches()) {
            reject(message);
            return;
        }
        String name = field.group(1);
        problems.add(lineBelow(path.below(name)), path.join(name) + ": " + field.group(2));
    }

    /** Reports that this node is not what was expected, and returns empty for the caller to pass on. */
    <T> Optional<T> mismatch(String expected) {
        reject(describe() + " (expected: " + expected + ")");
        return Optional.empty();
    }

    /** This node as a message shows it: {@code 'localhost'} (a string), {@code 0}, {@code a list}. */
    String describe() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (!(node instanceof ScalarNode scalar)) {
            return "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        String text = scalar.getValue();
        String shown = text.length() <= SHOWN_CHARACTERS ? text : text.substring(0, SHOWN_CHARACTERS) + "...";
        if (isNull(scalar)) {
            return text.isEmpty() ? "no value" : shown;
        }
        return Tag.STR.equals(scalar.getTag()) ? "'" + shown + "'" : shown;
    }

    /** The line of the key reached by following {@code keys} down from here, as far as they lead. */
    private int lineBelow(List<String> keys) {
        Node current = node;
        int found = line;
        for (String key : keys) {
            if (!(current instanceof MappingNode mapping)) {
                break;
            }
            Optional<NodeTuple> entry = mapping.getValue().stream()
                    .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                    .findFirst();
            if (entry.isEmpty()) {
                break;
            }
            found = lineOf(entry.get().getKeyNode());
            current = entry.get().getValueNode();
        }
        return found;
    }

    private Optional<Long> wholeNumber(long min, long max) {
        if (node instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())) {
            BigInteger value = integerValue(scalar.getValue());
            if (value.compareTo(BigInteger.valueOf(max)) > 0) {
                return mismatch("an integer <= " + max);
            }
            if (value.compareTo(BigInteger.valueOf(min)) < 0) {
                return mismatch("an integer >= " + min);
            }
            return Optional.of(value.longValue());
        }
        return mismatch("an integer");
    }

    static boolean isNull(ScalarNode scalar) {
        return Tag.NULL.equals(scalar.getTag());
    }

    /** The core schema's integers: {@code 42}, {@code -1}, {@code +7}, {@code 0o17}, {@code 0x1F}. */
    private static BigInteger integerValue(String text) {
        if (text.startsWith("0x")) {
            return new BigInteger(text.substring(2), 16);
        }
        if (text.startsWith("0o")) {
            return new BigInteger(text.substring(2), 8);
        }
        return new BigInteger(text);
    }

    /** The core schema's floats: {@code 0.5}, {@code 1e3}, {@code .inf}, {@code -.inf}, {@code .nan}. */
    private static double floatValue(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(lower);
        };
    }
}
