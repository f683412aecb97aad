package io.healthyproxy.maelstrom.json;

import java.util.List;

public record JsonArray(List<JsonValue> values) implements JsonValue {

    public JsonArray {
        values = List.copyOf(values);
    }

    public static JsonArray ofStrings(List<String> strings) {
        return new JsonArray(strings.stream().<JsonValue>map(JsonString::new).toList());
    }

    @Override
    public String typeName() {
        return "array";
    }
}
