package io.healthyproxy.maelstrom.json;

/**
 * An immutable JSON value. The node keeps message bodies as these so that fields it does not know are passed
 * through untouched (an {@code echo} body comes back exactly as it went out), numbers keep their exact text,
 * and objects keep their key order.
 */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

    /** The JSON type name, for error messages: {@code object}, {@code array}, {@code string}, … */
    String typeName();
}
