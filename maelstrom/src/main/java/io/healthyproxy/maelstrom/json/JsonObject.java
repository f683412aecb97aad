package io.healthyproxy.maelstrom.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A JSON object: an immutable, insertion-ordered map of its members. */
public record JsonObject(Map<String, JsonValue> members) implements JsonValue {

    public static final JsonObject EMPTY = new JsonObject(Map.of());

    public JsonObject {
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    public Optional<JsonValue> get(String name) {
        return Optional.ofNullable(members.get(name));
    }

    /** A copy with {@code name} set to {@code value} (appended if new, replaced in place otherwise). */
    public JsonObject with(String name, JsonValue value) {
        LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(members);
        copy.put(name, value);
        return new JsonObject(copy);
    }

    public JsonObject with(String name, String value) {
        return with(name, new JsonString(value));
    }

    public JsonObject with(String name, long value) {
        return with(name, JsonNumber.of(value));
    }

    /** A copy without the named members. */
    public JsonObject without(String... names) {
        LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(members);
        for (String name : names) {
            copy.remove(name);
        }
        return new JsonObject(copy);
    }

    @Override
    public String typeName() {
        return "object";
    }
}
