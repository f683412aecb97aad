package io.healthyproxy.maelstrom.json;

import io.healthyproxy.core.internal.Require;

/**
 * The parser's limits, stated here rather than left to the JSON library's defaults, so that a hostile input
 * is refused by a rule we chose and can name in the error.
 *
 * @param maxMessageBytes size of one top-level value on the wire (default 1 MiB)
 * @param maxDepth        nesting of arrays and objects (default 64)
 * @param maxStringLength characters in one string (default 512 Ki)
 * @param maxNumberLength characters in one number (default 100)
 */
public record JsonLimits(int maxMessageBytes, int maxDepth, int maxStringLength, int maxNumberLength) {

    public static final JsonLimits DEFAULT = new JsonLimits(1 << 20, 64, 512 * 1024, 100);

    public JsonLimits {
        Require.positive("maxMessageBytes", maxMessageBytes);
        Require.positive("maxDepth", maxDepth);
        Require.positive("maxStringLength", maxStringLength);
        Require.positive("maxNumberLength", maxNumberLength);
    }
}
