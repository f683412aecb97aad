package io.healthyproxy.app.config;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Text to a YAML node tree with line marks, via snakeyaml-engine's compose API: nodes, not Java objects, so that
 * every later complaint can name its line. A syntax error, an empty document or a second document is reported
 * instead.
 *
 * <p>Implementation notes: the YAML 1.2 core schema ({@code true}/{@code True}, {@code 0x1F}, {@code .inf}), the
 * one YAML 1.2 recommends. Duplicate keys are not caught by compose ({@code setAllowDuplicateKeys(false)} acts
 * only when constructing objects); {@link YamlMapping} reports them, with both lines.
 */
final class YamlDocument {

    static final String EXPECTED = "a mapping of settings with at least backends or clusters, e.g. backends: "
            + "[127.0.0.1:9101]";

    private YamlDocument() {
    }

    /** The document's root, or empty when there is none to read (then reported). */
    static Optional<YamlValue> compose(String text, Problems problems) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(problems.source())
                .setSchema(new CoreSchema())
                // Let them through to YamlMapping, which reports them with their line; snakeyaml's refusal has none.
                .setAllowNonScalarKeys(true)
                .build();
        try {
            // A lone "---" (or "~") is a document whose root is a null: as empty as no document at all.
            Optional<Node> root = new Compose(settings).composeString(text)
                    .filter(node -> !(node instanceof ScalarNode scalar && YamlValue.isNull(scalar)));
            if (root.isEmpty()) {
                problems.add(0, "empty (expected: " + EXPECTED + ")");
            }
            return root.map(node -> YamlValue.root(node, problems));
        } catch (MarkedYamlEngineException e) {
            reportSyntax(e, problems);
        } catch (YamlEngineException e) {
            problems.add(0, "not readable as YAML: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** {@code file:3:9: YAML syntax: while parsing a flow sequence at line 1, column 4: expected ',' or ']' ...}. */
    private static void reportSyntax(MarkedYamlEngineException e, Problems problems) {
        Optional<Mark> at = e.getProblemMark().or(e::getContextMark);
        StringBuilder message = new StringBuilder("YAML syntax: ");
        String context = e.getContext();
        if (context != null && !context.isBlank()) {
            message.append(context);
            e.getContextMark().ifPresent(mark -> message.append(" at line ").append(mark.getLine() + 1)
                    .append(", column ").append(mark.getColumn() + 1));
            message.append(": ");
        }
        message.append(e.getProblem());
        if (context != null && context.contains("alias")) {
            // "host: *.example.com": YAML reads * as the start of an alias.
            message.append(" (a value starting with * must be quoted, e.g. \"*.example.com\")");
        }
        problems.add(at.map(mark -> mark.getLine() + 1).orElse(0), at.map(mark -> mark.getColumn() + 1).orElse(0),
                message.toString());
    }
}
